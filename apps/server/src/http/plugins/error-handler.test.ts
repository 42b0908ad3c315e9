import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { toAppError } from './error-handler.ts';

// What the drivers really throw, mapped to the contract's codes: a database that cannot be reached is a
// 503 the client may retry, a faulty query stays a 500.

async function failureOf(task: () => Promise<unknown>): Promise<Error> {
  try {
    await task();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the task did not fail');
}

describe('database failures', () => {
  it('answers 503 SERVICE_UNAVAILABLE when PostgreSQL refuses connections', async () => {
    // Port 1 on loopback: nothing listens there.
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'test' });
    const error = await failureOf(() => pool.query('select 1'));
    await pool.end();

    const mapped = toAppError(error);

    expect(mapped.status).toBe(503);
    expect(mapped.code).toBe('SERVICE_UNAVAILABLE');
    expect(mapped.message).toBe('The database cannot be reached right now; retry shortly');
  });

  it('answers 503 when the connection ends mid-way, as when PostgreSQL shuts down', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(toAppError(terminated).code).toBe('SERVICE_UNAVAILABLE');
    expect(toAppError(new Error('Connection terminated unexpectedly')).code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers 503 when PostgreSQL cancels a statement (57014, its statement timeout)', () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });

    const mapped = toAppError(cancelled);

    expect(mapped.status).toBe(503);
    expect(mapped.code).toBe('SERVICE_UNAVAILABLE');
    expect(mapped.message).toBe('The database took too long to answer; retry shortly');
  });

  it('answers 404 NOT_FOUND to a static file server’s 403 refusal (a path out of its folder)', () => {
    const refused = Object.assign(new Error('Forbidden'), { status: 403, statusCode: 403, expose: true });

    expect(toAppError(refused).code).toBe('NOT_FOUND');
    expect(toAppError(refused).status).toBe(404);
  });

  it('keeps a faulty query a 500 INTERNAL_ERROR', async () => {
    const sqlite = new Database(':memory:');
    const error = await failureOf(async () => sqlite.prepare('select * from no_such_table').all());
    sqlite.close();
    const syntax = Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' });

    expect(toAppError(error).code).toBe('INTERNAL_ERROR');
    expect(toAppError(syntax).code).toBe('INTERNAL_ERROR');
  });
});
