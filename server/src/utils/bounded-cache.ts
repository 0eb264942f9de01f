// Results of pure functions that an email asks for again and again (a formatted date, a parsed template), kept by
// a string key. Bounded: once `limit` keys are held, everything is forgotten and the cache fills again.

export function boundedCache<V>(limit: number) {
  const values = new Map<string, V>();
  return (key: string, compute: () => V): V => {
    const known = values.get(key);
    if (known !== undefined) return known;
    if (values.size >= limit) values.clear();
    const value = compute();
    values.set(key, value);
    return value;
  };
}
