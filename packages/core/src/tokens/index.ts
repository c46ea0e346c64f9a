export type {
  AccessTokenClaims,
  IssueTokenInput,
  IssuedToken,
  PublishedKeys,
  TokenInvalidReason,
  TokenIssuer,
  TokenVerifier,
} from './token-types.js';
export { canonicalClaims, createTokenIssuer, type TokenIssuerOptions } from './token-issuer.js';
export { createTokenVerifier, type TokenVerifierOptions } from './token-verifier.js';
