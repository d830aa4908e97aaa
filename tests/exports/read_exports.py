"""An independent reader of FundTrail's exports (Python's standard csv and json, openpyxl for XLSX).

Usage: read_exports.py csv FILE | xlsx FILE | fdp DIR | iati FILE
Prints what it read as JSON on stdout; numbers as the shortest decimal of the stored double
(repr), so the caller can compare them exactly with the API's decimal strings.
"""
import csv
import hashlib
import json
import os
import sys


def read_csv(path):
    with open(path, 'rb') as f:
        raw = f.read()
    text = raw.decode('utf-8')  # strict: invalid UTF-8 fails here
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f, strict=True))
    return {'bom': raw.startswith(b'\xef\xbb\xbf'), 'crlf': '\r\n' in text and '\n' not in text.replace('\r\n', ''), 'rows': rows}


def cell(c):
    v = c.value
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError('unexpected boolean cell %s' % c.coordinate)
    if isinstance(v, (int, float)):
        return {'t': 'n', 'v': repr(v), 'fmt': c.number_format}
    return {'t': 's', 'v': str(v), 'fmt': c.number_format}


def read_xlsx(path):
    import openpyxl
    workbook = openpyxl.load_workbook(path, data_only=False)
    return {
        'sheets': workbook.sheetnames,
        'cells': {ws.title: [[cell(c) for c in row] for row in ws.iter_rows()] for ws in workbook.worksheets},
        'frozen': workbook.worksheets[0].freeze_panes,
    }


def read_fdp(directory):
    with open(os.path.join(directory, 'datapackage.json'), encoding='utf-8') as f:
        descriptor = json.load(f)
    resource = descriptor['resources'][0]
    data_path = os.path.join(directory, resource['path'])
    with open(data_path, 'rb') as f:
        raw = f.read()
    with open(data_path, newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f, strict=True))
    return {
        'descriptor': descriptor,
        'bytes': len(raw),
        'sha256': hashlib.sha256(raw).hexdigest(),
        'bom': raw.startswith(b'\xef\xbb\xbf'),
        'rows': rows,
    }


def read_iati(path):
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    lang = '{http://www.w3.org/XML/1998/namespace}lang'

    def text(element):
        return [{'lang': n.get(lang), 'text': n.text} for n in element.findall('narrative')] if element is not None else []

    activities = []
    for a in root.findall('iati-activity'):
        activities.append({
            'identifier': a.findtext('iati-identifier'),
            'currency': a.get('default-currency'),
            'reportingOrg': {'ref': a.find('reporting-org').get('ref'), 'type': a.find('reporting-org').get('type'), 'names': text(a.find('reporting-org'))},
            'title': text(a.find('title')),
            'budgets': [{'start': b.find('period-start').get('iso-date'), 'end': b.find('period-end').get('iso-date'), 'value': b.findtext('value')} for b in a.findall('budget')],
            'transactions': [{
                'type': t.find('transaction-type').get('code'),
                'date': t.find('transaction-date').get('iso-date'),
                'value': t.findtext('value'),
                'valueDate': t.find('value').get('value-date'),
                'ref': t.get('ref'),
            } for t in a.findall('transaction')],
            'indicators': [{
                'title': text(i.find('title')),
                'reference': i.find('reference').get('code') if i.find('reference') is not None else None,
                'target': [e.get('value') for e in i.findall('period/target')],
                'actual': [e.get('value') for e in i.findall('period/actual')],
            } for i in a.findall('result/indicator')],
        })
    return {'version': root.get('version'), 'activities': activities}


if __name__ == '__main__':
    kind, path = sys.argv[1], sys.argv[2]
    result = {'csv': read_csv, 'xlsx': read_xlsx, 'fdp': read_fdp, 'iati': read_iati}[kind](path)
    json.dump(result, sys.stdout, ensure_ascii=False)
