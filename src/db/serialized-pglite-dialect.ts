import { setImmediate as nextTurn } from 'node:timers/promises';
import { PGliteDialect } from 'kysely';
import type { DatabaseConnection, Driver, TransactionSettings } from 'kysely';
import type { QueryCompiler } from 'kysely';

/**
 * A FIFO lock. PGlite has a single session, so whoever holds it owns that session: a transaction
 * opened by one request must not see (or be rolled back with) another request's statements.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** Holds the mutex from connection acquisition to release, which spans a whole transaction. */
class SerializedDriver implements Driver {
  readonly #inner: Driver;
  readonly #mutex: Mutex;
  readonly #givesWay: boolean;
  readonly #releases: (() => void)[] = [];

  constructor(inner: Driver, mutex: Mutex, givesWay: boolean) {
    this.#inner = inner;
    this.#mutex = mutex;
    this.#givesWay = givesWay;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // PGlite answers on this thread without any I/O, so statements sent one after another would keep the event
    // loop from ever reading a new request; work that gives way lets it in before each statement or transaction.
    if (this.#givesWay) await nextTurn();
    const release = await this.#mutex.acquire();
    try {
      const connection = await this.#inner.acquireConnection();
      this.#releases.push(release);
      return connection;
    } catch (error) {
      release();
      throw error;
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(connection);
    } finally {
      // There is only ever one holder, so the lone release belongs to it.
      this.#releases.shift()?.();
    }
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

export type SerializedPGliteOptions = {
  mutex: Mutex;
  /** Long work in the background: lets requests waiting on the event loop in before each statement or transaction. */
  givesWay?: boolean;
};

export class SerializedPGliteDialect extends PGliteDialect {
  readonly #options: SerializedPGliteOptions;

  constructor(config: ConstructorParameters<typeof PGliteDialect>[0], options: SerializedPGliteOptions) {
    super(config);
    this.#options = options;
  }

  override createDriver(): Driver {
    return new SerializedDriver(super.createDriver(), this.#options.mutex, this.#options.givesWay ?? false);
  }
}
