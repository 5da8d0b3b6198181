/**
 * `trace` (reference §3): a custom trace with source, severity, message and metadata, written
 * where a diagnostic in force for the request admits the severity (its `verbosity`); Azure's
 * sampling does not apply to it. docs/policies/trace.md.
 */
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import type { AttributeSpec, PolicyModule } from '../pipeline/policy-module.js';
import { traceSeverities, type TraceSeverity } from '../pipeline/policy-telemetry.js';
import type { Value } from '../pipeline/value.js';
import { childElements, textContent } from '../pipeline/xml.js';

const metadataAttributes: Readonly<Record<string, AttributeSpec>> = {
  name: { type: 'string', required: true, expression: true },
  value: { type: 'string', required: true, expression: true },
};

export const trace: PolicyModule = {
  name: 'trace',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    source: { type: 'string', required: true },
    severity: { type: 'enum', values: traceSeverities, default: 'verbose' },
  },
  compile(element, ctx) {
    const source = ctx.string(element, 'source')!.constant!;
    const severity = ctx.string(element, 'severity')!.constant!.toLowerCase() as TraceSeverity;
    let message: Value<string> | undefined;
    const metadata: Array<[Value<string>, Value<string>]> = [];
    for (const child of childElements(element)) {
      if (child.name === 'message') {
        if (message) ctx.fail(child, "The element 'message' may appear only once in 'trace'.");
        if (child.attributes.length > 0) ctx.fail(child.attributes[0]!, `The '${child.attributes[0]!.name}' attribute is not declared.`);
        message = ctx.text(child);
      } else if (child.name === 'metadata') {
        checkChildAttributes(child, metadataAttributes, ctx);
        metadata.push([ctx.string(child, 'name', metadataAttributes.name)!, ctx.string(child, 'value', metadataAttributes.value)!]);
      } else {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'trace'; expected 'message' or 'metadata'.`);
      }
    }
    // The older form Azure's VS Code snippets still write: the message as the element's own text.
    const ownText = textContent(element).trim() !== '';
    if (ownText && message) ctx.fail(element, "The 'trace' element has both text and a 'message' element; use one.");
    if (ownText) message = ctx.text(element);
    if (!message) return ctx.fail(element, "The 'message' element is required in 'trace'.");
    const text = message;
    return (gw) => {
      const telemetry = gw.services.telemetry;
      if (!telemetry && !gw.requestTrace) return;
      const fields: Record<string, string> = {};
      for (const [name, value] of metadata) fields[name.get(gw)] = value.get(gw);
      const entry = { source, severity, message: text.get(gw), metadata: fields };
      // Azure: the trace policy writes into the request trace, under its own source.
      if (gw.requestTrace) gw.traceStep(source, { severity, message: entry.message, metadata: fields });
      telemetry?.trace(gw, entry);
    };
  },
};
