/**
 * The try-it console of one operation: fields for its template and query parameters, headers
 * and body (prefilled from defaults and the first example), a subscription key (picked from the
 * signed-in user's keys for this API, or typed), and Send. The call goes through the portal
 * server to the gateway; the console shows the request as sent (the key masked until asked) and
 * the answer: status, headers and body (JSON indented), with a notice when it was cut.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Loaded } from '../shared/use-loaded.js';
import { ProblemMessage } from '../shared/problem-message.js';
import { useSubmit } from '../shared/use-submit.js';
import type { OfferedKey } from './api-keys.js';
import type { Operation } from './catalogue-resources.js';
import type { PlacedParameter } from './parameter-table.js';
import { isJsonContentType, prettyJsonText, prettyValue } from './pretty-json.js';
import { gatewayUrl, sendTryIt, type TryItAnswer, type TryItRequest } from './try-it-call.js';
import { hasWildcard, tryItPath } from './try-it-path.js';

interface TryItConsoleProps {
  apiPath: string;
  keyHeader: string;
  operation: Operation;
  parameters: PlacedParameter[];
  /** The signed-in user's keys for this API; undefined for a visitor who is not signed in. */
  keys?: Loaded<OfferedKey[]>;
  csrfToken?: string;
}

const typedKey = 'typed';
const noKey = 'none';

export function TryItConsole({ apiPath, keyHeader, operation, parameters, keys, csrfToken }: TryItConsoleProps) {
  const op = operation.properties;
  const id = (what: string) => `try-${operation.name}-${what}`;
  const representation = op.request?.representations?.[0];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(parameters.map((p) => [`${p.in}:${p.name}`, p.defaultValue ?? ''])));
  const [wildcard, setWildcard] = useState('');
  const [body, setBody] = useState(() => firstExample(representation?.examples));
  const [keyChoice, setKeyChoice] = useState(noKey);
  const [typed, setTyped] = useState('');
  const [showKey, setShowKey] = useState(false);
  const [result, setResult] = useState<{ request: TryItRequest; url: string; answer: TryItAnswer } | undefined>(undefined);
  const offered = keys?.value ?? [];
  useEffect(() => {
    // The first offered key is picked once the keys arrive, unless the developer chose already.
    if (offered.length > 0 && keyChoice === noKey) setKeyChoice('0');
  }, [offered.length]);

  const key = keyChoice === typedKey ? typed.trim() : keyChoice === noKey ? '' : offered[Number(keyChoice)]?.value ?? '';
  const valueOf = (p: PlacedParameter) => values[`${p.in}:${p.name}`] ?? '';
  const set = (p: PlacedParameter) => (event: Event) => setValues((v) => ({ ...v, [`${p.in}:${p.name}`]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value }));
  const groups = useMemo(() => ({ template: parameters.filter((p) => p.in === 'template'), query: parameters.filter((p) => p.in === 'query'), header: parameters.filter((p) => p.in === 'header') }), [parameters]);
  const sendsBody = op.method !== 'GET' && op.method !== 'HEAD';

  const { busy, error, onSubmit } = useSubmit(async () => {
    const path = tryItPath(apiPath, op.urlTemplate, {
      template: Object.fromEntries(groups.template.map((p) => [p.name, valueOf(p)])),
      wildcard,
      query: groups.query.map((p) => [p.name, valueOf(p)]),
    });
    const headers: Array<[string, string]> = groups.header.filter((p) => valueOf(p) !== '').map((p) => [p.name, valueOf(p)]);
    if (sendsBody && body !== '' && representation && !headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['Content-Type', representation.contentType]);
    if (key !== '') headers.push([keyHeader, key]);
    const request: TryItRequest = { method: op.method, path, headers, body: sendsBody && body !== '' ? body : undefined };
    const [answer, base] = await Promise.all([sendTryIt(request, csrfToken), gatewayUrl().catch(() => '')]);
    setResult({ request, url: `${base}${path}`, answer });
  });

  const field = (p: PlacedParameter) => (
    <div class="field" key={`${p.in}:${p.name}`}>
      <label for={id(`${p.in}-${p.name}`)}>
        {p.name}
        {p.required ? ' (required)' : ''}
      </label>
      {p.values && p.values.length > 0 ? (
        <select id={id(`${p.in}-${p.name}`)} value={valueOf(p)} onChange={set(p)}>
          {p.required ? null : <option value="">(not sent)</option>}
          {p.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : (
        <input id={id(`${p.in}-${p.name}`)} value={valueOf(p)} required={p.required} onInput={set(p)} />
      )}
    </div>
  );

  return (
    <div class="try-it">
      <form onSubmit={onSubmit} aria-label={`Try ${op.displayName}`}>
        {groups.template.length > 0 || hasWildcard(op.urlTemplate) ? (
          <fieldset>
            <legend>Path</legend>
            {groups.template.map(field)}
            {hasWildcard(op.urlTemplate) ? (
              <div class="field">
                <label for={id('wildcard')}>Rest of the path (for *)</label>
                <input id={id('wildcard')} value={wildcard} onInput={(e) => setWildcard((e.currentTarget as HTMLInputElement).value)} />
              </div>
            ) : null}
          </fieldset>
        ) : null}
        {groups.query.length > 0 ? (
          <fieldset>
            <legend>Query parameters</legend>
            {groups.query.map(field)}
          </fieldset>
        ) : null}
        {groups.header.length > 0 ? (
          <fieldset>
            <legend>Headers</legend>
            {groups.header.map(field)}
          </fieldset>
        ) : null}
        {sendsBody ? (
          <div class="field">
            <label for={id('body')}>Body{representation ? ` (${representation.contentType})` : ''}</label>
            <textarea id={id('body')} rows={6} value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
        ) : null}
        <fieldset>
          <legend>Subscription key ({keyHeader})</legend>
          <div class="field">
            <label for={id('key-choice')}>Key</label>
            <select id={id('key-choice')} value={keyChoice} onChange={(e) => setKeyChoice((e.currentTarget as HTMLSelectElement).value)}>
              <option value={noKey}>No key</option>
              {offered.map((k, i) => (
                <option key={i} value={String(i)}>
                  {k.label}
                </option>
              ))}
              <option value={typedKey}>Type a key</option>
            </select>
          </div>
          {keyChoice === typedKey ? (
            <div class="field">
              <label for={id('key')}>Key value</label>
              <input id={id('key')} type="password" autocomplete="off" value={typed} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
            </div>
          ) : null}
          {keys?.loading ? <p role="status">Loading your keys…</p> : null}
          <ProblemMessage error={keys?.error} />
          {keys === undefined ? <p>Sign in to pick the keys of your subscriptions.</p> : null}
          {keys?.value && keys.value.length === 0 && !keys.loading ? <p>None of your active subscriptions includes this API. Subscribe to a product that has it.</p> : null}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </form>
      <ProblemMessage error={error} />
      <div aria-live="polite">{result ? <TryItResult result={result} keyHeader={keyHeader} showKey={showKey} onShowKey={setShowKey} /> : null}</div>
    </div>
  );
}

function TryItResult({ result, keyHeader, showKey, onShowKey }: { result: { request: TryItRequest; url: string; answer: TryItAnswer }; keyHeader: string; showKey: boolean; onShowKey: (show: boolean) => void }) {
  const { request, url, answer } = result;
  const isKey = (name: string) => name.toLowerCase() === keyHeader.toLowerCase();
  const hasKey = request.headers.some(([name]) => isKey(name));
  const contentType = answer.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const requestText = [`${request.method} ${url}`, ...request.headers.map(([name, value]) => `${name}: ${isKey(name) && !showKey ? mask(value) : value}`), ...(request.body ? ['', request.body] : [])].join('\n');
  return (
    <div class="try-it-result">
      <h4>Request sent</h4>
      <pre tabIndex={0} aria-label="Request sent" class="request-sent">
        <code>{requestText}</code>
      </pre>
      {hasKey ? (
        <button type="button" aria-pressed={showKey} onClick={() => onShowKey(!showKey)}>
          {showKey ? 'Hide the key' : 'Show the key'}
        </button>
      ) : null}
      <h4>Answer</h4>
      <p class="answer-status">
        <strong>
          {answer.status} {answer.statusText}
        </strong>
      </p>
      {answer.headers.length > 0 ? (
        <table class="answer-headers">
          <caption>Answer headers</caption>
          <thead>
            <tr>
              <th scope="col">Header</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {answer.headers.map(([name, value], i) => (
              <tr key={i}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {answer.truncated ? <p role="note">The answer was longer than the console shows: its body is cut at 1 MiB.</p> : null}
      {answer.body !== '' ? (
        <pre tabIndex={0} aria-label="Answer body" class="answer-body">
          <code>{isJsonContentType(contentType) && !answer.truncated ? prettyJsonText(answer.body) : answer.body}</code>
        </pre>
      ) : (
        <p>The answer has no body.</p>
      )}
    </div>
  );
}

/** A key shown as dots with its last four characters. */
function mask(value: string): string {
  return value.length <= 4 ? '••••' : `${'•'.repeat(Math.min(value.length - 4, 12))}${value.slice(-4)}`;
}

function firstExample(examples: Record<string, { value?: unknown }> | undefined): string {
  const first = Object.values(examples ?? {}).find((e) => e.value !== undefined);
  return first ? prettyValue(first.value) : '';
}
