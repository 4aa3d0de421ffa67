package io.rocketcluster.helm;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.rocketcluster.operator.Permissions;
import io.rocketcluster.operator.Permissions.Rule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.rocketcluster.helm.ChartSupport.FULLNAME;
import static io.rocketcluster.helm.ChartSupport.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

/** The chart grants exactly {@link Permissions}: nothing missing, nothing extra. */
class HelmRbacTest {
    private final ChartSupport.Rendered rendered = ChartSupport.render(Map.of());

    @Test
    void clusterRoleRulesAreExactlyTheClusterRules() {
        List<PolicyRule> rules = rendered.one(ClusterRole.class).getRules();
        assertThat(normalize(rules)).as("ClusterRole rules vs Permissions.CLUSTER_RULES")
                .containsExactlyInAnyOrderElementsOf(sorted(Permissions.CLUSTER_RULES));
    }

    @Test
    void roleRulesAreExactlyTheNamespaceRules() {
        Role role = rendered.one(Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(normalize(role.getRules())).as("Role rules vs Permissions.NAMESPACE_RULES")
                .containsExactlyInAnyOrderElementsOf(sorted(Permissions.NAMESPACE_RULES));
    }

    @Test
    void bindingsGiveTheRolesToTheOperatorsServiceAccount() {
        Subject sa = new Subject(null, "ServiceAccount", FULLNAME, NAMESPACE);

        ClusterRoleBinding crb = rendered.one(ClusterRoleBinding.class);
        assertThat(crb.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(crb.getRoleRef().getName()).isEqualTo(rendered.one(ClusterRole.class).getMetadata().getName());
        assertThat(crb.getSubjects()).containsExactly(sa);

        RoleBinding rb = rendered.one(RoleBinding.class);
        assertThat(rb.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(rb.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(rb.getRoleRef().getName()).isEqualTo(rendered.one(Role.class).getMetadata().getName());
        assertThat(rb.getSubjects()).containsExactly(sa);

        assertThat(rendered.deployment().getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(FULLNAME);
    }

    @Test
    void noLeaseRoleWithoutLeaderElection() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of("leaderElection.enabled", false));
        assertThat(r.kinds()).contains("ClusterRole", "ClusterRoleBinding").doesNotContain("Role", "RoleBinding");
    }

    @Test
    void noRbacWhenDisabled() {
        ChartSupport.Rendered r = ChartSupport.render(Map.of("rbac.create", false));
        assertThat(r.kinds()).doesNotContain("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
                .contains("Deployment", "ServiceAccount");
    }

    /** One entry per (apiGroup, resource), verbs sorted; a rendered rule must not use names or URLs. */
    private static List<Rule> normalize(List<PolicyRule> rules) {
        List<Rule> out = new ArrayList<>();
        for (PolicyRule r : rules) {
            assertThat(r.getResourceNames()).as("resourceNames in %s", r).isNullOrEmpty();
            assertThat(r.getNonResourceURLs()).as("nonResourceURLs in %s", r).isNullOrEmpty();
            for (String group : r.getApiGroups()) {
                for (String resource : r.getResources()) {
                    out.add(new Rule(group, resource, r.getVerbs().stream().sorted().toList()));
                }
            }
        }
        return out;
    }

    /** The same shape for the Java list: verbs sorted. */
    private static List<Rule> sorted(List<Rule> rules) {
        return rules.stream().map(r -> new Rule(r.apiGroup(), r.resource(), r.verbs().stream().sorted().toList()))
                .toList();
    }
}
