/**
 * One operation of the API reference: method and URL template, description, parameters, request
 * bodies, responses, and its try-it console behind a button. Its heading carries the anchor
 * `#op-{operation}`.
 */
import { useMemo } from 'preact/hooks';
import type { Loaded } from '../shared/use-loaded.js';
import type { OfferedKey } from './api-keys.js';
import type { ApiSchema, Operation } from './catalogue-resources.js';
import { operationParameters, ParameterTable } from './parameter-table.js';
import { RepresentationView } from './representation-view.js';
import { TryItConsole } from './try-it-console.js';
import { templateParameterNames } from './try-it-path.js';

export interface OperationReferenceProps {
  operation: Operation;
  apiPath: string;
  keyHeader: string;
  schemas: readonly ApiSchema[];
  tryingIt: boolean;
  onTryIt: (open: boolean) => void;
  keys?: Loaded<OfferedKey[]>;
  csrfToken?: string;
}

export function OperationReference({ operation, apiPath, keyHeader, schemas, tryingIt, onTryIt, keys, csrfToken }: OperationReferenceProps) {
  const op = operation.properties;
  const parameters = useMemo(() => operationParameters(op, templateParameterNames(op.urlTemplate)), [operation]);
  const requestBodies = op.request?.representations ?? [];
  const responses = op.responses ?? [];
  const consoleId = `try-${operation.name}`;
  return (
    <section class="operation" aria-labelledby={`op-${operation.name}`}>
      <h2 id={`op-${operation.name}`} tabIndex={-1}>
        {op.displayName}
      </h2>
      <p class="operation-line">
        <span class={`method method-${op.method.toLowerCase()}`}>{op.method}</span> <code>{op.urlTemplate}</code>
      </p>
      {op.description ? <p>{op.description}</p> : null}
      {parameters.length > 0 ? <ParameterTable parameters={parameters} caption={`Parameters of ${op.displayName}`} /> : <p>No parameters.</p>}
      {requestBodies.length > 0 ? (
        <>
          <h3>Request body</h3>
          {op.request?.description ? <p>{op.request.description}</p> : null}
          {requestBodies.map((r, i) => (
            <RepresentationView key={i} representation={r} schemas={schemas} level={4} />
          ))}
        </>
      ) : null}
      <h3>Responses</h3>
      {responses.length === 0 ? <p>No responses are described.</p> : null}
      {responses.map((response) => (
        <section key={response.statusCode} class="response">
          <h4>
            {response.statusCode}
            {response.description ? ` ${response.description}` : ''}
          </h4>
          {response.headers && response.headers.length > 0 ? (
            <ParameterTable parameters={response.headers.map((h) => ({ ...h, in: 'header' }))} caption={`Headers of the ${response.statusCode} answer`} />
          ) : null}
          {(response.representations ?? []).map((r, i) => (
            <RepresentationView key={i} representation={r} schemas={schemas} level={5} />
          ))}
        </section>
      ))}
      <h3>Try it</h3>
      <button type="button" aria-expanded={tryingIt} aria-controls={consoleId} onClick={() => onTryIt(!tryingIt)}>
        {tryingIt ? `Close the console of ${op.displayName}` : `Try ${op.displayName}`}
      </button>
      <div id={consoleId}>{tryingIt ? <TryItConsole apiPath={apiPath} keyHeader={keyHeader} operation={operation} parameters={parameters} keys={keys} csrfToken={csrfToken} /> : null}</div>
    </section>
  );
}
