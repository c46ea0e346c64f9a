/** What the gateway keeps of an access token whose signature, type and issuer it has checked. */
export interface VerifiedToken {
  /** `kid` of the signing key; the entry counts only while that key is still trusted. */
  kid: string;
  jti: string;
  clientId: string;
  orgId: string;
  technicalAccountId: string;
  /** When the token was created, ms (`created_at`, else `iat`). */
  createdAt: number;
  /** `exp`, ms. */
  expiresAt: number;
  /** `scope` carries the Partner API metascope. */
  hasMetascope: boolean;
}
