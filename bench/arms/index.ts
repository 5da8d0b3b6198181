/**
 * Every arm of the comparison, in table order. Adding an arm = one file exporting an `Arm`
 * (bench/harness/types.ts) + one line here; `--arms` selects among these ids.
 */
import type { Arm } from '../harness/types.js';
import { bareNodeArm } from './bare-node.js';
import { directArm } from './direct.js';
import { expressGatewayArm } from './express-gateway.js';
import { fastGatewayArm } from './fast-gateway.js';
import { gatehouseRoutingArm } from './gatehouse-routing.js';
import { gatehouseRoutingUnbufferedArm } from './gatehouse-routing-unbuffered.js';
import { gatehouseCacheHitArm } from './gatehouse-cache-hit.js';
import { gatehouseTypicalArm } from './gatehouse-typical.js';
import { gatehouseTypicalInProcessArm } from './gatehouse-typical-in-process.js';
import { gatehouseTypicalRedisArm } from './gatehouse-typical-redis.js';
import { gatehouseTypicalUnobservedArm } from './gatehouse-typical-unobserved.js';
import { gatehouseTypicalUnobservedInProcessArm } from './gatehouse-typical-unobserved-inproc.js';
import { gatehouseTypicalCoreWorkersArm } from './gatehouse-typical-core-workers.js';
import { gatehouseTypicalUndici6Arm } from './gatehouse-typical-undici6.js';
import { nginxArm } from './nginx.js';

export const ARMS: Arm[] = [
  directArm,
  nginxArm,
  bareNodeArm,
  gatehouseRoutingArm,
  gatehouseRoutingUnbufferedArm,
  gatehouseTypicalArm,
  gatehouseTypicalUndici6Arm,
  gatehouseTypicalCoreWorkersArm,
  gatehouseTypicalInProcessArm,
  gatehouseTypicalRedisArm,
  gatehouseTypicalUnobservedArm,
  gatehouseTypicalUnobservedInProcessArm,
  gatehouseCacheHitArm,
  expressGatewayArm,
  fastGatewayArm,
];
