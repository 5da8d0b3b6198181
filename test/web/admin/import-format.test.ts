/** The import format the console sends for an OpenAPI file (web/admin/import-format.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importFormat } from '../../../web/admin/import-format.js';

describe('import format', () => {
  it('sends JSON as openapi+json, Swagger 2.0 JSON as swagger-json, and anything else as openapi (YAML)', () => {
    assert.equal(importFormat('{ "openapi": "3.0.3", "info": {}, "paths": {} }'), 'openapi+json');
    assert.equal(importFormat('{ "swagger": "2.0", "info": {}, "paths": {} }'), 'swagger-json');
    assert.equal(importFormat('openapi: 3.0.3\ninfo:\n  title: x\n'), 'openapi');
    assert.equal(importFormat('swagger: "2.0"\n'), 'openapi');
    assert.equal(importFormat('["swagger"]'), 'openapi+json');
  });
});
