/** Exit codes: 0 success, 1 unexpected failure, 2 bad input or usage, 3 a dependency or config is missing. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_ENVIRONMENT = 3;
