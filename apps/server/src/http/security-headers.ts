import helmet from 'helmet';

/**
 * helmet's headers, with a policy the static dashboard and Swagger UI work under:
 * Next's static export and Swagger UI carry inline bootstrap scripts and styles.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // A plain-HTTP loopback start must not tell browsers to insist on HTTPS.
    strictTransportSecurity: false,
  });
}
