package site.gateway.console;

/** One health check as the Gateway page shows it: its name, status (OK, WARN, CRITICAL, ...) and what it said. */
record CheckLine(String name, String status, String message) {
}
