/**
 * The Function app's entry point (package.json `main`). Azure Functions and the local host both
 * load this file; every module imported here registers its functions with `app.*` / `df.app.*`.
 */
import './functions/samples';
