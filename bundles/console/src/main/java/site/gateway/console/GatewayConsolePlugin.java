package site.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.wms.WmsSession;

/** The "Gateway" page of the Felix web console ({@code /system/console/gateway}). */
@Component(service = Servlet.class, property = {
    ServletConstants.PLUGIN_LABEL + "=gateway",
    ServletConstants.PLUGIN_TITLE + "=Gateway",
    ServletConstants.PLUGIN_CATEGORY + "=Gateway"})
public class GatewayConsolePlugin extends AbstractServlet {
    static final String LABEL = "gateway";
    private static final long serialVersionUID = 1L;
    private static final String SCRIPT = script();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile GatewayIdentity identity;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile GatewayStatus status;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile WmsSession session;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile Outbox outbox;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile PlcRegistry plcs;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile HealthResults health;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile HistorySampler history;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (request.getRequestURI() != null && request.getRequestURI().endsWith("/" + LABEL + "/live.json")) {
            setNoCache(response);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(live());
            return;
        }
        super.doGet(request, response);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        GatewayStatus currentStatus = status;
        WmsSession currentSession = session;
        Outbox currentOutbox = outbox;
        PlcRegistry currentPlcs = plcs;
        response.getWriter().write(new GatewayPage().render(identity,
                currentStatus == null ? null : currentStatus.current(),
                currentSession == null ? null : currentSession.info(),
                currentOutbox == null ? null : currentOutbox.stats(),
                currentPlcs == null ? List.of() : currentPlcs.statuses(), healthLines(), live(), SCRIPT));
    }

    private String live() {
        GatewayStatus currentStatus = status;
        HistorySampler sampler = history;
        return LiveData.json(System.currentTimeMillis(), currentStatus == null ? null : currentStatus.current(), healthLines(),
                sampler == null ? null : sampler.samples());
    }

    private List<CheckLine> healthLines() {
        HealthResults results = health;
        return results == null ? null : results.run();
    }

    private static String script() {
        try (InputStream in = GatewayConsolePlugin.class.getResourceAsStream("gateway-page.js")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
