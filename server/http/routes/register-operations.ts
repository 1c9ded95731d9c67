import { z } from 'zod'
import { describeOperations } from '../openapi/api-operation.js'
import { csvType, xlsxType } from './register-answers.js'
import { changesQuery, editBody, importQuery, listQuery, registerParam } from './register-inputs.js'

const refusedReport =
  '`{report, error}`: refused, with its problems by sheet, row and column, and `error.reason` ' +
  '(`record_still_referenced`, `register_errors`, `not_a_register_file`); nothing changed'
const reportAnswers = {
  200: '`{report}`: the change applied, with the change log entry',
  422: refusedReport,
}

export const registerOperations = describeOperations([
  {
    method: 'get',
    path: '/api/registers',
    summary: 'The registers the caller keeps, with their columns in both languages',
    callers: ['bureau', 'school'],
    responses: { 200: '`{registers}`' },
  },
  {
    method: 'get',
    path: '/api/registers/template.xlsx',
    summary: 'An empty workbook with a sheet for each register, to fill in and import',
    callers: ['bureau', 'school'],
    responses: { 200: { description: 'the workbook', type: xlsxType } },
  },
  {
    method: 'get',
    path: '/api/registers/export.xlsx',
    summary: 'The registers as one workbook: all for the bureau, its pupils for a school',
    description: 'Every export is kept in the audit log.',
    callers: ['bureau', 'school'],
    responses: { 200: { description: 'the workbook', type: xlsxType } },
  },
  {
    method: 'get',
    path: '/api/registers/changes',
    summary: "The registers' change log, newest first",
    callers: ['bureau'],
    query: changesQuery,
    responses: { 200: '`{changes}`' },
  },
  {
    method: 'post',
    path: '/api/registers/import',
    summary: 'Imports a workbook or a CSV file: a dry run first, then applied in one transaction',
    description: 'A school imports its own pupils only, and never removes.',
    callers: ['bureau', 'school'],
    query: importQuery,
    body: { types: [xlsxType, 'text/csv'], description: 'the file, as its bytes' },
    responses: {
      200: '`{report}`: what would change or changed, and the problems found',
      422: refusedReport,
    },
    errors: ['unprocessable'],
  },
  {
    method: 'get',
    path: '/api/registers/:register{[^/]+\\.csv}',
    summary: 'One register as CSV',
    callers: ['bureau'],
    params: registerParam,
    responses: { 200: { description: 'the register', type: csvType } },
  },
  {
    method: 'get',
    path: '/api/registers/:register',
    summary: "A register's records, searched and paged",
    description: "Reading pupils' or guardians' records is kept in the audit log.",
    callers: ['bureau', 'school'],
    params: registerParam,
    query: listQuery,
    responses: { 200: '`{total, records}`; each record with its `key`' },
  },
  {
    method: 'put',
    path: '/api/registers/:register/records',
    summary: 'Adds or changes one record, given as the cells of its sheet row by column name',
    callers: ['bureau', 'school'],
    params: registerParam,
    body: editBody,
    responses: reportAnswers,
    errors: ['unprocessable'],
  },
  {
    method: 'delete',
    path: '/api/registers/:register/records/:key',
    summary: 'Removes one record by its key',
    callers: ['bureau', 'school'],
    params: registerParam.extend({ key: z.string().describe("the record's key, as listed") }),
    responses: reportAnswers,
    errors: ['not_found', 'unprocessable'],
  },
])
