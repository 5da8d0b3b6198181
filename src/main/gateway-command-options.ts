/**
 * `gatehouse gateway`'s option table. The self-hosted gateway (fed by a management endpoint) is
 * not built: the command only explains that, and its help says so first.
 */
import { helpOption, type CommandTable } from './command-options.js';

export const gatewayCommand: CommandTable = {
  name: 'gateway',
  summary: 'A self-hosted gateway that takes its configuration from a Gatehouse management endpoint.',
  positionals: [],
  built: false,
  options: [
    { name: 'management-url', kind: 'value', valueName: 'URL', environment: true, description: 'the management endpoint to follow' },
    { name: 'gateway-token', kind: 'value', valueName: 'TOKEN', environment: true, description: 'the token the gateway presents to it' },
    helpOption,
  ],
  notes: ['Until it is built, `gatehouse start` runs the gateway next to the management API.'],
};
