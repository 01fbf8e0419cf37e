/**
 * Figures the gateway's services keep about themselves, for monitoring: latency histograms (as snapshots)
 * and the command statistics service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package site.gateway.api.stats;
