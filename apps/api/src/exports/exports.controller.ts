import { Controller, Get, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@fundtrail/auth';
import { type FigureTable, type FigureTableSink, figureCsvSink, figureXlsxSink, Projections, XLSX_CONTENT_TYPE } from '@fundtrail/projections';
import { ProblemSchema } from '../openapi/schemas';
import { PortfolioFilterQueryDto, toPortfolioFilter } from '../queries/query.dto';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';

/** Who may take the whole portfolio away as a file: the roles that analyse, audit and publish it. */
export const EXPORT_ROLES = ['analyst', 'auditor', 'budget-officer'] as const;

const COMMON = [
  ApiResponse({ status: 400, type: ProblemSchema, description: 'VALIDATION_FAILED (a filter that is not valid, an unknown parameter)' }),
  ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' }),
  ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN (clerks do not export)' }),
  ApiResponse({ status: 503, type: ProblemSchema, description: 'PROJECTION_BEHIND, STORE_UNAVAILABLE' }),
];
const documented =
  (...extra: MethodDecorator[]): MethodDecorator =>
  (target, key, descriptor) => {
    for (const decorate of [...COMMON, ...extra]) decorate(target, key, descriptor);
  };

/**
 * The analysts' files: a row per selected project with its context and every figure. Both stream
 * from one database snapshot; the answer's FundTrail-As-Of-Position names the log position.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/exports')
@UseInterceptors(ReadYourWritesInterceptor)
export class ExportsController {
  constructor(private readonly projections: Projections) {}

  @Get('figures.xlsx')
  @Roles(...EXPORT_ROLES)
  @ApiOperation({
    summary:
      'Excel workbook: sheet 1 a row per project (context, every figure; money as yuan numbers with 2 decimals, rates as percentages; ' +
      "headers in Chinese, English and the figure key), sheet 2 each figure's formula and version, sheet 3 the log position and filter",
  })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiResponse({ status: 200, description: 'the workbook (streamed)' })
  @documented()
  async xlsx(@Query() query: PortfolioFilterQueryDto, @Res() response: Response): Promise<void> {
    await this.stream(response, query, (onBegin) => figureXlsxSink(response, onBegin), XLSX_CONTENT_TYPE, 'xlsx');
  }

  @Get('figures.csv')
  @Roles(...EXPORT_ROLES)
  @ApiOperation({
    summary:
      'CSV (RFC 4180, UTF-8 with a byte-order mark so Excel shows Chinese): a header line "中文 / English [key]", then a line per project; ' +
      "money and rates as the API's decimal strings; text that starts with = + - @ is prefixed with an apostrophe",
  })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'the table (streamed)' })
  @documented()
  async csv(@Query() query: PortfolioFilterQueryDto, @Res() response: Response): Promise<void> {
    await this.stream(response, query, (onBegin) => figureCsvSink(response, onBegin), 'text/csv; charset=utf-8; header=present', 'csv');
  }

  private async stream(
    response: Response,
    query: PortfolioFilterQueryDto,
    sinkFor: (onBegin: (table: FigureTable) => void) => FigureTableSink,
    contentType: string,
    extension: string,
  ): Promise<void> {
    const sink = sinkFor((table) => {
      const name = `fundtrail-figures-${table.asOfPosition}.${extension}`;
      response.status(200);
      response.setHeader('Content-Type', contentType);
      response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      response.setHeader('FundTrail-As-Of-Position', table.asOfPosition.toString());
      response.setHeader('Cache-Control', 'no-store');
    });
    try {
      await this.projections.queries.writeFigureTable(toPortfolioFilter(query), sink);
    } catch (error) {
      // Once the first bytes are out the status cannot change: cut the download short rather than let it look complete.
      if (response.headersSent) {
        response.destroy(error instanceof Error ? error : undefined);
        return;
      }
      throw error;
    }
  }
}
