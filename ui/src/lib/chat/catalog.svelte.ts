// The models of every provider set up, as the picker, the context meter and the
// reasoning control read them. Rust keeps the lists between calls; a refresh asks the
// providers again.
import { asBackendError, listAllModels, type BackendError } from '../backend';
import type { CatalogModel, CatalogProblem, ModelCatalog, ModelRef } from '../contract';
import { sameModel } from './models';

export class ModelCatalogState {
  models: CatalogModel[] = $state([]);
  /** Providers whose list failed, with why: the others' models are still listed. */
  problems: CatalogProblem[] = $state([]);
  /** The whole call failed (no backend, a bug): nothing is listed. */
  error: BackendError | null = $state(null);
  loading = $state(false);
  loaded = $state(false);

  #list: (refresh: boolean) => Promise<ModelCatalog>;
  // A refresh started after a plain load wins, whichever answers last.
  #asked = 0;

  constructor(list: (refresh: boolean) => Promise<ModelCatalog> = listAllModels) {
    this.#list = list;
  }

  async load(refresh = false): Promise<void> {
    const ask = ++this.#asked;
    this.loading = true;
    try {
      const catalog = await this.#list(refresh);
      if (ask !== this.#asked) return;
      this.models = catalog.models;
      this.problems = catalog.problems;
      this.error = null;
      this.loaded = true;
    } catch (err) {
      if (ask === this.#asked) this.error = asBackendError(err);
    } finally {
      if (ask === this.#asked) this.loading = false;
    }
  }

  find(ref: ModelRef): CatalogModel | undefined {
    return this.models.find((m) => sameModel(ref, m));
  }
}
