/** What the policy compiler may look up while compiling one snapshot's documents. */
import type { ExpressionLimits } from '../expressions/index.js';
import type { Backend, Certificate } from '../model/resources.js';
import type { PolicyModule } from './policy-module.js';
import type { HandshakePolicyRule } from './websocket-handshake-policies.js';
import type { XmlElement } from './xml.js';

/** What the compiler knows of a logger: its name as stored and its type. */
export interface LoggerSummary {
  name: string;
  type: string;
}

export interface CompileEnvironment {
  /** Policy modules by element name. */
  policies: ReadonlyMap<string, PolicyModule>;
  /** Named values by name and by display name. */
  namedValues: ReadonlyMap<string, string>;
  /** Parsed `<fragment>` roots by fragment id. */
  fragments: ReadonlyMap<string, XmlElement>;
  backends: ReadonlyMap<string, Backend>;
  /** Loggers by lower-cased name (log-to-eventhub's `logger-id`); none when absent. */
  loggers?: ReadonlyMap<string, LoggerSummary>;
  /** The `certificates` resources (authentication-certificate, validate-client-certificate); none when absent. */
  certificates?: readonly Certificate[];
  /** Limits every expression of the snapshot evaluates under (`--expression-time-budget`); the defaults where absent. */
  expressionLimits?: Partial<ExpressionLimits>;
  /** Set when compiling for a WebSocket handshake: what happens to the policies onHandshake does not run. */
  webSocketHandshake?: HandshakePolicyRule;
}
