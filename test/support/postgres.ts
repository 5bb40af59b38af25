import {
  startThrowawayCluster,
  type ThrowawayCluster,
  type ThrowawayClusterOptions,
} from "../../src/dev/throwaway-cluster.js";

/**
 * PostgreSQL for the tests: a throwaway cluster per test file (initdb + pg_ctl from the Debian
 * `postgresql` package, on a free port, in a temp folder, removed by stop()), with a fresh database
 * per test. Fails with a clear DEPENDENCY_MISSING error when PostgreSQL is not installed; .ci/run
 * installs it.
 */
export interface TestPostgres {
  cluster: ThrowawayCluster;
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

let databases = 0;

export async function startTestPostgres(options: ThrowawayClusterOptions = {}): Promise<TestPostgres> {
  const cluster = await startThrowawayCluster(options);
  return {
    cluster,
    createDatabase: () => cluster.createDatabase(`copydesk_test_${process.pid}_${++databases}`),
    stop: () => cluster.stop(),
  };
}
