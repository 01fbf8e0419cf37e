package site.gateway.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The MetaType definitions ({@code OSGI-INF/metatype/*.xml}) of the bundle jars of a distribution, by
 * PID and factory PID, read straight from the jars: nothing is started.
 */
final class MetaTypeCatalog {
    /** One attribute definition. {@code cardinality} 0 is a single value; otherwise a comma-separated list. */
    record Attribute(String id, String type, int cardinality, boolean required, String defaultValue, List<String> options) {
    }

    /** One object class definition, and the jar it came from. */
    record Definition(String ocd, String bundle, Map<String, Attribute> attributes) {
    }

    private final Map<String, Definition> byPid = new HashMap<>();
    private final Map<String, Definition> byFactoryPid = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    static MetaTypeCatalog read(List<Path> folders) throws IOException {
        MetaTypeCatalog catalog = new MetaTypeCatalog();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> jars = Files.list(folder)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    catalog.readJar(jar);
                }
            }
        }
        return catalog;
    }

    Definition forPid(String pid) {
        return byPid.get(pid);
    }

    Definition forFactoryPid(String factoryPid) {
        return byFactoryPid.get(factoryPid);
    }

    /** Jars whose MetaType could not be read; worth a warning, not a failed check. */
    List<String> problems() {
        return problems;
    }

    private void readJar(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith("OSGI-INF/metatype/") && entry.getName().endsWith(".xml")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        readMetaData(parse(in), jar.getFileName().toString());
                    }
                }
            }
        } catch (IOException | SAXException | ParserConfigurationException e) {
            problems.add(jar.getFileName() + ": MetaType not readable (" + e.getMessage() + ")");
        }
    }

    private void readMetaData(Document doc, String bundle) {
        Map<String, Definition> ocds = new HashMap<>();
        for (Element ocd : elements(doc.getDocumentElement(), "OCD")) {
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            for (Element ad : elements(ocd, "AD")) {
                List<String> options = new ArrayList<>();
                for (Element option : elements(ad, "Option")) {
                    options.add(option.getAttribute("value"));
                }
                String cardinality = ad.getAttribute("cardinality");
                attributes.put(ad.getAttribute("id"), new Attribute(ad.getAttribute("id"),
                        ad.hasAttribute("type") ? ad.getAttribute("type") : "String",
                        cardinality.isEmpty() ? 0 : Integer.parseInt(cardinality),
                        !"false".equals(ad.getAttribute("required")),
                        ad.hasAttribute("default") ? ad.getAttribute("default") : null, options));
            }
            ocds.put(ocd.getAttribute("id"), new Definition(ocd.getAttribute("id"), bundle, attributes));
        }
        for (Element designate : elements(doc.getDocumentElement(), "Designate")) {
            for (Element object : elements(designate, "Object")) {
                Definition definition = ocds.get(object.getAttribute("ocdref"));
                if (definition == null) {
                    continue;
                }
                if (!designate.getAttribute("factoryPid").isEmpty()) {
                    byFactoryPid.put(designate.getAttribute("factoryPid"), definition);
                } else if (!designate.getAttribute("pid").isEmpty()) {
                    byPid.put(designate.getAttribute("pid"), definition);
                }
            }
        }
    }

    private static Document parse(InputStream in) throws ParserConfigurationException, IOException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(in);
    }

    private static List<Element> elements(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            result.add((Element) nodes.item(i));
        }
        return result;
    }
}
