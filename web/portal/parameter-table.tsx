/** An operation's parameters as a table: where each goes (path template, query, header), its type, whether it is required, its description, default and allowed values. */
import type { ParameterContract } from './catalogue-resources.js';

export interface PlacedParameter extends ParameterContract {
  /** Where the parameter goes. */
  in: 'template' | 'query' | 'header';
}

export function ParameterTable({ parameters, caption }: { parameters: PlacedParameter[]; caption: string }) {
  return (
    <table class="parameters">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">In</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
          <th scope="col">Default and values</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr key={`${p.in}:${p.name}`}>
            <th scope="row">
              <code>{p.name}</code>
            </th>
            <td>{p.in}</td>
            <td>{p.type ?? ''}</td>
            <td>{p.required ? 'yes' : 'no'}</td>
            <td>{p.description ?? ''}</td>
            <td>
              {p.defaultValue !== undefined && p.defaultValue !== '' ? <>default <code>{p.defaultValue}</code></> : null}
              {p.values && p.values.length > 0 ? (
                <>
                  {p.defaultValue ? '; ' : ''}one of {p.values.map((v, i) => (
                    <span key={v}>
                      {i > 0 ? ', ' : ''}
                      <code>{v}</code>
                    </span>
                  ))}
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every parameter of an operation, template ones first (those only in the URL template added as required strings). */
export function operationParameters(operation: { urlTemplate: string; templateParameters?: ParameterContract[]; request?: { queryParameters?: ParameterContract[]; headers?: ParameterContract[] } }, templateNames: string[]): PlacedParameter[] {
  const declared = operation.templateParameters ?? [];
  const template: PlacedParameter[] = declared.map((p) => ({ ...p, in: 'template' }));
  for (const name of templateNames) if (!declared.some((p) => p.name === name)) template.push({ name, type: 'string', required: true, in: 'template' });
  return [
    ...template,
    ...(operation.request?.queryParameters ?? []).map((p): PlacedParameter => ({ ...p, in: 'query' })),
    ...(operation.request?.headers ?? []).map((p): PlacedParameter => ({ ...p, in: 'header' })),
  ];
}
