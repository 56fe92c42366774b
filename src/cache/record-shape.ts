// Shape checks for data read back from the cache: what JSON.parse returns is `unknown` until a
// guard says otherwise (a record is untrusted input, never cast). Small combinators, one per
// kind of value, so each entry kind states its shape in a few lines next to its type.

/** Says whether `value` has the shape `T`. */
export type Guard<T> = (value: unknown) => value is T;

/** The type a guard checks for. */
export type Guarded<G> = G extends Guard<infer T> ? T : never;

/** Longest string a record may hold in one field: longer is not something Lectern wrote. */
const maxStringLength = 1_000_000;

export const isString: Guard<string> = (value): value is string => typeof value === "string" && value.length <= maxStringLength;

export const isBoolean: Guard<boolean> = (value): value is boolean => typeof value === "boolean";

export const isFiniteNumber: Guard<number> = (value): value is number => typeof value === "number" && Number.isFinite(value);

export const isNonNegativeInteger: Guard<number> = (value): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A SHA-256 digest as lowercase hex, the way Lectern writes them. */
export const isSha256: Guard<string> = (value): value is string => typeof value === "string" && /^[0-9a-f]{64}$/.test(value);

export function isOneOf<const T extends string>(...allowed: readonly T[]): Guard<T> {
  return (value): value is T => typeof value === "string" && (allowed as readonly string[]).includes(value);
}

export function isArrayOf<T>(item: Guard<T>, maxLength = 1_000_000): Guard<T[]> {
  return (value): value is T[] => Array.isArray(value) && value.length <= maxLength && value.every((element) => item(element));
}

/** Marks a property that may be absent (it is never `undefined` when present: JSON has no undefined). */
export interface Optional<T> {
  readonly optional: Guard<T>;
}

export function optional<T>(guard: Guard<T>): Optional<T> {
  return { optional: guard };
}

type Properties = Record<string, Guard<unknown> | Optional<unknown>>;

type RequiredKeys<P extends Properties> = { [K in keyof P]: P[K] extends Optional<unknown> ? never : K }[keyof P];
type OptionalKeys<P extends Properties> = { [K in keyof P]: P[K] extends Optional<unknown> ? K : never }[keyof P];

/** The object type `isObjectOf(properties)` checks for. */
export type ObjectOf<P extends Properties> = { [K in RequiredKeys<P>]: P[K] extends Guard<infer T> ? T : never } & {
  [K in OptionalKeys<P>]?: P[K] extends Optional<infer T> ? T : never;
};

/** A plain object (not an array, not null) with exactly these properties: an unknown one fails. */
export function isObjectOf<P extends Properties>(properties: P): Guard<ObjectOf<P>> {
  return (value): value is ObjectOf<P> => {
    if (!isPlainObject(value)) return false;
    for (const key of Object.keys(value)) if (!Object.hasOwn(properties, key)) return false;
    for (const [key, check] of Object.entries(properties)) {
      if (!Object.hasOwn(value, key)) {
        if (typeof check === "function") return false;
        continue;
      }
      const guard = typeof check === "function" ? check : check.optional;
      if (!guard(value[key])) return false;
    }
    return true;
  };
}

/** An object made by JSON.parse: not an array, not null, no prototype tricks. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Any JSON value, bounded in depth (a record nested thousands deep is not Lectern's). */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === "boolean" || isString(value) || isFiniteNumber(value)) return true;
  if (Array.isArray(value)) return value.every((element) => isJsonValue(element, depth + 1));
  return isPlainObject(value) && Object.values(value).every((element) => isJsonValue(element, depth + 1));
}

/** An empty object: the meta of an entry that needs none. */
export const isEmptyObject: Guard<Record<string, never>> = (value): value is Record<string, never> => isPlainObject(value) && Object.keys(value).length === 0;
