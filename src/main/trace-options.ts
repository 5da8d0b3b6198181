/** `gatehouse trace`'s option table: the parser and the help are made from it (command-options.ts). */
import { helpOption, type CommandTable } from './command-options.js';
import { dataRow } from './store-option.js';

export const traceCommand: CommandTable = {
  name: 'trace',
  summary: 'Sends one request through a running gateway with a fresh debug token and prints its trace.',
  positionals: [{ name: 'URL', description: "the gateway URL to call, e.g. http://127.0.0.1:8080/echo/resource?param1=x" }],
  built: true,
  options: [
    { name: 'management-url', kind: 'value', valueName: 'URL', environment: true, defaultText: 'http://127.0.0.1:8081', description: 'the running management API' },
    { name: 'admin-token', kind: 'value', valueName: 'TOKEN', environment: true, defaultText: 'the admin-token file of --data', description: "the management API's admin token" },
    dataRow,
    { name: 'service-name', kind: 'value', valueName: 'NAME', environment: true, defaultText: 'gatehouse', description: 'the service name in management API paths' },
    { name: 'api', kind: 'value', valueName: 'NAME', environment: false, defaultText: 'the API whose path URL starts with', description: 'the API the debug token is for' },
    { name: 'gateway', kind: 'value', valueName: 'ID', environment: false, defaultText: 'managed', description: 'the gateway the token is for' },
    { name: 'method', short: 'X', kind: 'value', valueName: 'METHOD', environment: false, defaultText: 'GET', description: 'the request method' },
    { name: 'header', short: 'H', kind: 'list', valueName: "'NAME: VALUE'", environment: false, description: 'a request header (repeatable)' },
    { name: 'body', kind: 'value', valueName: 'TEXT', environment: false, description: 'the request body' },
    { name: 'json', kind: 'switch', environment: false, description: "print the trace as listTrace answers it (JSON) instead of the readable form" },
    helpOption,
  ],
  notes: [
    'The token is valid for one minute and for that API only; the response status and headers are printed before the trace. See docs/tracing.md.',
  ],
};
