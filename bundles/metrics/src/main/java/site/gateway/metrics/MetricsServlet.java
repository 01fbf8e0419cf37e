package site.gateway.metrics;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics} on the console's HTTP service (servlet whiteboard). Access control is the
 * console's: its request guard checks Host and credentials for this path before the request gets here.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=" + MetricsServlet.PATH,
    "osgi.http.whiteboard.servlet.name=gateway-metrics"})
public class MetricsServlet extends HttpServlet {
    public static final String PATH = "/metrics";
    private static final long serialVersionUID = 1L;

    private final transient GatewayMetrics metrics;

    @Activate
    public MetricsServlet(@Reference GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(metrics.contentType());
        response.setHeader("Cache-Control", "no-store");
        metrics.write(response.getOutputStream());
    }
}
