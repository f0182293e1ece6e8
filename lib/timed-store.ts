// Measures every storage call for the metrics without the store or its callers knowing.
import type { Store } from "./store.ts";

export function timedStore(store: Store, observe: (operation: string, seconds: number) => void): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          observe(String(property), (performance.now() - start) / 1000);
        }
      };
    },
  });
}
