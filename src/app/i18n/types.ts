// The shape every language's table takes: the English table's keys, each one optional, and no other.
import type { Texts } from './en.ts';

type Partially<T> = T extends string ? string : { [K in keyof T]?: Partially<T[K]> };

/** A language's texts: any it lacks are shown in English. */
export type Translation = Partially<Texts>;
