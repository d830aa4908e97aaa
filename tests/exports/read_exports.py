"""An independent reader of FundTrail's exports (Python's standard csv and json, openpyxl for XLSX).

Usage: read_exports.py csv FILE | xlsx FILE | fdp DIR
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


if __name__ == '__main__':
    kind, path = sys.argv[1], sys.argv[2]
    result = {'csv': read_csv, 'xlsx': read_xlsx, 'fdp': read_fdp}[kind](path)
    json.dump(result, sys.stdout, ensure_ascii=False)
