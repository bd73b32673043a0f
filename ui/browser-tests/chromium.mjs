// @ts-check
/**
 * The flags every headless Chromium run here needs: the machine's network is closed,
 * so Chromium's own background connections are turned off rather than refused by the
 * dozen, and as root it runs without its sandbox.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
