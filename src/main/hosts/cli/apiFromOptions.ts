/** Opens the API for a command, honouring --db, and closes it when the command is done. */
import { NormLabApi } from '../../api/normlabApi';

export interface DbOptions {
  db?: string;
}

export async function withApi<T>(opts: DbOptions, fn: (api: NormLabApi) => Promise<T> | T): Promise<T> {
  const api = new NormLabApi(opts.db ? { db: opts.db } : {});
  try {
    return await fn(api);
  } finally {
    api.close();
  }
}
