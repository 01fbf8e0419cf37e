#!/usr/bin/env python3
"""Writes docs/configuration.md from the MetaType descriptors inside the built bundles, so the
reference lists exactly the PIDs, keys and defaults the code has. With --cfg DIR, also writes a
commented template DIR/<pid>.cfg for every singleton PID that has no file there yet.

    mvn -B -DskipTests install && tools/config-reference.py --cfg config > docs/configuration.md
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def local(tag):
    return tag.split('}')[-1]


def descriptors():
    for jar in sorted(glob.glob(os.path.join(ROOT, 'bundles', '*', 'target', 'site.gateway.*.jar'))):
        with zipfile.ZipFile(jar) as z:
            for name in z.namelist():
                if name.startswith('OSGI-INF/metatype/') and name.endswith('.xml'):
                    yield os.path.basename(os.path.dirname(os.path.dirname(jar))), z.read(name)


def write_templates(entries, folder):
    for pid, factory, bundle, ocd in entries:
        target = os.path.join(folder, pid + '.cfg')
        if factory or os.path.exists(target):
            continue
        lines = [f'# {ocd.get("name")} ({pid}). Every key is optional: a commented key takes the default shown.',
                 f'# {ocd.get("description") or ""}'.rstrip(), '']
        for ad in (a for a in ocd if local(a.tag) == 'AD'):
            key = ad.get('id')
            if key.startswith('webconsole.') or key.startswith('.'):
                continue
            lines.append(f'# {(ad.get("description") or ad.get("name") or "").strip()}')
            lines.append(f'#{key} = {ad.get("default") or ""}')
            lines.append('')
        with open(target, 'w') as f:
            f.write('\n'.join(lines))


def main():
    entries = []
    for bundle, xml in descriptors():
        root = ET.fromstring(xml)
        ocds = {o.get('id'): o for o in root if local(o.tag) == 'OCD'}
        for designate in (d for d in root if local(d.tag) == 'Designate'):
            obj = next(o for o in designate if local(o.tag) == 'Object')
            ocd = ocds[obj.get('ocdref')]
            factory = designate.get('factoryPid')
            entries.append((factory or designate.get('pid'), bool(factory), bundle, ocd))
    pids = [e[0] for e in entries]
    twice = sorted({pid for pid in pids if pids.count(pid) > 1})
    if twice:
        # Two descriptors for one PID: a class renamed without `mvn clean` leaves its old descriptor in the jar.
        sys.exit(f'config-reference: PIDs described twice {twice}; rebuild the bundles with `mvn clean install -DskipTests`')
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    if len(sys.argv) == 3 and sys.argv[1] == '--cfg':
        write_templates(entries, sys.argv[2])
    out = sys.stdout
    out.write('# Configuration reference\n\n')
    out.write('Generated from the bundles\' MetaType descriptors by `tools/config-reference.py`; do not edit by hand.\n\n')
    out.write('Each PID is a file `conf/<pid>.cfg` (Java properties); a factory PID takes one file per instance, '
              '`conf/<pid>-<name>.cfg`. Every key can be changed while the gateway runs; a key left out takes '
              'its default. Relative paths resolve against `GATEWAY_HOME`. The same forms are in the web '
              'console under OSGi → Configuration.\n\n')
    out.write('An invalid value (out of range, or of the wrong type) is never replaced by a default. In the first '
              'configuration a component gets, it keeps that component out of service: the log says '
              '`Invalid configuration <pid>: <what is wrong>; the component is not started`, the audit trail has '
              '`config.rejected`, and whatever needs the component waits until the file is corrected. In a change '
              'to a running component it is logged (`...; keeping <what runs>`) and audited the same way, and the '
              'component keeps its last good settings. `gateway-ctl config check` finds values of the wrong type '
              'before a start (not the ranges a bundle checks in code).\n\n')
    out.write('| PID | bundle | what |\n|---|---|---|\n')
    for pid, factory, bundle, ocd in entries:
        out.write(f'| [`{pid}`](#{pid.replace(".", "")}){" (factory)" if factory else ""} | {bundle} | {ocd.get("name")} |\n')
    for pid, factory, bundle, ocd in entries:
        out.write(f'\n## {pid}\n\n')
        out.write(f'{"Factory PID: one `conf/" + pid + "-<name>.cfg` per instance. " if factory else "File: `conf/" + pid + ".cfg`. "}'
                  f'Bundle: `site.gateway.{bundle}`.\n\n')
        if ocd.get('description'):
            out.write(ocd.get('description') + '\n\n')
        out.write('| key | type | default | description |\n|---|---|---|---|\n')
        for ad in (a for a in ocd if local(a.tag) == 'AD'):
            key = ad.get('id')
            if key.startswith('webconsole.') or key.startswith('.'):
                continue
            options = [o.get('value') for o in ad if local(o.tag) == 'Option']
            desc = (ad.get('description') or ad.get('name') or '').replace('|', '\\|').replace('\n', ' ')
            if options:
                desc += ' One of: ' + ', '.join(f'`{o}`' for o in options) + '.'
            default = ad.get('default')
            default = '' if default is None else f'`{default}`'
            out.write(f'| `{key}` | {ad.get("type")}{"[]" if ad.get("cardinality") not in (None, "0") else ""} | {default} | {desc} |\n')
    out.write('\n## Runtime (Felix) configurations\n\n')
    out.write('| PID | file | keys |\n|---|---|---|\n')
    out.write('| `org.apache.felix.http` | `conf/org.apache.felix.http.cfg` | `org.osgi.service.http.port` (8080), `org.apache.felix.http.host` (127.0.0.1); a key left out (or no file) takes the framework property of the same name (`etc/framework.properties`, or `-D` in `GATEWAY_OPTS`). The console starts on this port only, once it is free (one WARN while another program holds it). |\n')
    out.write('| `org.apache.felix.webconsole.internal.servlet.OsgiManager` | `conf/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg` | `username` (admin), `password` (no default: generated at first start, hashed `{sha-256}<salt>-<iterations>-<base64>`; `admin` refused; see README), `manager.root` (/system/console) |\n')
    out.write(FRAMEWORK_PROPERTIES)


FRAMEWORK_PROPERTIES = '''
## Framework properties (`etc/framework.properties`)

The runtime defaults that must not depend on a file of `conf/` (a `conf/` written by configuration
management may hold only the gateway's own PIDs). Part of the distribution, not of the home; any key can
be overridden with `-Dkey=value` in `GATEWAY_OPTS`.

| key | default | what |
|---|---|---|
| `felix.fileinstall.dir` | `${gateway.home}/conf,${gateway.home}/deploy` | The folders FileInstall watches, `conf/` first: every configuration is in Config Admin before the first bundle of `deploy/` starts. A home that still has `conf/org.apache.felix.fileinstall-deploy.cfg` (earlier versions) keeps that file in charge of `deploy/`, and `deploy/` is left out here (see operations.md, *Upgrade*). |
| `felix.fileinstall.filter` | `.*\\.(cfg\\|config\\|jar)` | The files FileInstall takes, in both folders (a regular expression; in the properties file its backslash is doubled). |
| `felix.fileinstall.poll` | `500` | How often (ms) both folders are scanned: a changed `.cfg` or a dropped bundle is picked up within this time. A longer poll saves idle wake-ups (about 0.06 % of one core going from 500 to 2000) but delays the start by up to one poll (the first scan waits for the framework to be started) and every configuration change (see [performance](performance.md#cpu)). |
| `felix.fileinstall.start.level` | `4` | Start level of the bundles installed from `deploy/`. |
| `org.osgi.service.http.port`, `org.apache.felix.http.host` | `8080`, `127.0.0.1` | The console's port and address when `conf/org.apache.felix.http.cfg` does not set them. |
| `org.apache.felix.http.require.config` | `true` | Felix HTTP waits for its configuration instead of binding the defaults first; `site.gateway.http-starter` starts it. |
| `gateway.features`, `gateway.bundles` | written by the build | The features of the distribution and the gateway's own bundles; the core bundle logs an ERROR and reports `degraded` (status, heartbeat, console) while one of these bundles is not active. |
'''


if __name__ == '__main__':
    main()
