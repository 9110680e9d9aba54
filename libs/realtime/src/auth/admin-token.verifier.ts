/**
 * The admin token, as the server holds it. Used as the DI token: the server binds it to
 * its own token service (RealtimeModule.forRoot({ adminToken })).
 */
export abstract class AdminTokenVerifier {
  abstract readonly token: string;
  abstract verify(candidate: string | undefined | null): boolean;
}
