package site.gateway.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's samples as a PNG (JFreeChart): heap and RSS, the store file's size, threads and file descriptors. */
final class SoakChart {
    static {
        System.setProperty("java.awt.headless", "true"); // a build machine has no display
    }

    private SoakChart() {
    }

    static void write(List<SoakIT.Sample> samples, String title, Path png) throws IOException {
        XYSeries heap = new XYSeries("heap after GC (MiB)");
        XYSeries rss = new XYSeries("RSS (MiB)");
        XYSeries store = new XYSeries("store file (KiB)");
        XYSeries threads = new XYSeries("threads");
        XYSeries fds = new XYSeries("file descriptors");
        for (SoakIT.Sample s : samples) {
            heap.add(s.minutes(), s.heapMb());
            rss.add(s.minutes(), s.rssKb() / 1024.0);
            store.add(s.minutes(), s.storeBytes() / 1024.0);
            threads.add(s.minutes(), s.threads());
            fds.add(s.minutes(), s.fds());
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("minutes"));
        plot.add(subplot("MiB", heap, rss), 2);
        plot.add(subplot("KiB", store), 1);
        plot.add(subplot("count", threads, fds), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 750);
    }

    private static XYPlot subplot(String unit, XYSeries... series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        NumberAxis axis = new NumberAxis(unit);
        axis.setAutoRangeIncludesZero(true);
        return new XYPlot(data, null, axis, new XYLineAndShapeRenderer(true, false));
    }
}
