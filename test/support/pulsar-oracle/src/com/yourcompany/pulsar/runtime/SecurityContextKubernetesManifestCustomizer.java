package com.yourcompany.pulsar.runtime;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SELinuxOptions;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.apache.pulsar.functions.proto.Function;
import org.apache.pulsar.functions.runtime.kubernetes.BasicKubernetesManifestCustomizer;

/**
 * The SecurityContext extension as the design document pmc started from publishes it: a
 * subclass of Pulsar's real BasicKubernetesManifestCustomizer whose customizeStatefulSet reads
 * a flat `securityContext` from the function's customRuntimeOptions only (with Gson, so
 * undeclared fields are skipped) and whose initialize is the base class's (so a worker-level
 * `securityContext` is dropped). Written here without Lombok; the rules are the document's:
 * pod fields runAsUser, runAsGroup, fsGroup, runAsNonRoot; container fields privileged,
 * allowPrivilegeEscalation, readOnlyRootFilesystem; capabilities {add, drop} when either list
 * is given; seLinuxOptions from the seLinux* fields when any is given; only set fields are
 * written, on every container of the pod (not init containers).
 */
public class SecurityContextKubernetesManifestCustomizer extends BasicKubernetesManifestCustomizer {

    public static class SecurityContextOpts {
        Long runAsUser;
        Long runAsGroup;
        Long fsGroup;
        Boolean runAsNonRoot;
        Boolean privileged;
        Boolean allowPrivilegeEscalation;
        Boolean readOnlyRootFilesystem;
        String[] addCapabilities;
        String[] dropCapabilities;
        String seLinuxLevel;
        String seLinuxRole;
        String seLinuxType;
        String seLinuxUser;
    }

    public static class ExtendedRuntimeOpts extends RuntimeOpts {
        SecurityContextOpts securityContext;
    }

    @Override
    public V1StatefulSet customizeStatefulSet(Function.FunctionDetails funcDetails, V1StatefulSet statefulSet) {
        statefulSet = super.customizeStatefulSet(funcDetails, statefulSet);
        ExtendedRuntimeOpts opts = new Gson().fromJson(funcDetails.getCustomRuntimeOptions(), ExtendedRuntimeOpts.class);
        if (opts == null || opts.securityContext == null) {
            return statefulSet;
        }
        SecurityContextOpts s = opts.securityContext;
        V1PodSpec podSpec = statefulSet.getSpec().getTemplate().getSpec();
        V1PodSecurityContext pod = podSpec.getSecurityContext() != null ? podSpec.getSecurityContext() : new V1PodSecurityContext();
        if (s.runAsUser != null) pod.runAsUser(s.runAsUser);
        if (s.runAsGroup != null) pod.runAsGroup(s.runAsGroup);
        if (s.fsGroup != null) pod.fsGroup(s.fsGroup);
        if (s.runAsNonRoot != null) pod.runAsNonRoot(s.runAsNonRoot);
        podSpec.securityContext(pod);
        if (podSpec.getContainers() != null) {
            for (V1Container container : podSpec.getContainers()) {
                V1SecurityContext c = container.getSecurityContext() != null ? container.getSecurityContext() : new V1SecurityContext();
                if (s.privileged != null) c.privileged(s.privileged);
                if (s.allowPrivilegeEscalation != null) c.allowPrivilegeEscalation(s.allowPrivilegeEscalation);
                if (s.readOnlyRootFilesystem != null) c.readOnlyRootFilesystem(s.readOnlyRootFilesystem);
                if (s.addCapabilities != null || s.dropCapabilities != null) {
                    V1Capabilities caps = new V1Capabilities();
                    if (s.addCapabilities != null) for (String cap : s.addCapabilities) caps.addAddItem(cap);
                    if (s.dropCapabilities != null) for (String cap : s.dropCapabilities) caps.addDropItem(cap);
                    c.capabilities(caps);
                }
                if (s.seLinuxLevel != null || s.seLinuxRole != null || s.seLinuxType != null || s.seLinuxUser != null) {
                    V1SELinuxOptions se = new V1SELinuxOptions();
                    if (s.seLinuxLevel != null) se.level(s.seLinuxLevel);
                    if (s.seLinuxRole != null) se.role(s.seLinuxRole);
                    if (s.seLinuxType != null) se.type(s.seLinuxType);
                    if (s.seLinuxUser != null) se.user(s.seLinuxUser);
                    c.seLinuxOptions(se);
                }
                container.securityContext(c);
            }
        }
        return statefulSet;
    }
}
