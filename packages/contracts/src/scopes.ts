/** The metascope every Partner API credential needs (DESIGN.md §1). */
export const METASCOPE_PARTNERS_SDK = 'ent_partners_sdk';

/** Metascopes a credential can be bound to. */
export const knownMetascopes: readonly string[] = Object.freeze([METASCOPE_PARTNERS_SDK]);

export type KnownMetascope = typeof METASCOPE_PARTNERS_SDK;

export function isKnownMetascope(value: string): value is KnownMetascope {
  return knownMetascopes.includes(value);
}
