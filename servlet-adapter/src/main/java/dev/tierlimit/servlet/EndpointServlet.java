package dev.tierlimit.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The part of {@link SubscriptionServlet} and {@link ApiKeysServlet} that sets them up and routes
 * every method through {@link Endpoints#serve}, so problems and store failures get the same responses.
 */
abstract class EndpointServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient TierlimitServices configuredServices;
    private final transient EndpointOptions configuredOptions;
    private transient volatile Endpoints endpoints;

    /** For web.xml: configured from init parameters and the services context attribute. */
    EndpointServlet() {
        this.configuredServices = null;
        this.configuredOptions = null;
    }

    /** For code: configured by the arguments; init parameters are ignored. */
    EndpointServlet(TierlimitServices services, EndpointOptions options) {
        this.configuredServices = Objects.requireNonNull(services, "services");
        this.configuredOptions = Objects.requireNonNull(options, "options");
    }

    /**
     * Sets up the servlet from its constructor arguments, or else from init parameters.
     *
     * @throws ServletException if an init parameter is invalid or the services attribute is missing
     */
    @Override
    public void init() throws ServletException {
        endpoints = Endpoints.create(getServletConfig(), configuredServices, configuredOptions);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Endpoints current = endpoints;
        if (current == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " was used before init(); let the container"
                    + " initialize it");
        }
        current.serve(request, response, this::route);
    }

    /** Returns the shared endpoint machinery, set up by {@link #init()}. */
    final Endpoints endpoints() {
        return endpoints;
    }

    /** Returns the tierlimit services the endpoints work on. */
    final TierlimitServices services() {
        return endpoints.services;
    }

    /** Handles one request; throws {@link ProblemException} for every response that is not a success. */
    abstract void route(HttpServletRequest request, HttpServletResponse response) throws IOException;
}
