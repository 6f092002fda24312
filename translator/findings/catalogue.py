"""The one catalogue of finding codes: severity, message template and remediation template.

Codes are stable identifiers users grep for and suppress; never renumber one, nor rename its slug.
The headline names the problem for a reader of the assessment (HTML, JSON, SARIF shortDescription) and of
`kube2ecs codes`; it may be reworded. Messages are formatted with keyword parameters at the call site, so
the wording lives here and nowhere else.
`kube2ecs codes` prints this table and a meta test checks that every code is used. Each code's
severity follows one rule (reasons.RULE), and reasons.WHY says in one line why the rule gives it.
"""

from __future__ import annotations

from dataclasses import replace

from translator.findings.model import Severity
from translator.findings.reasons import WHY
from translator.model.record import record

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
# K2E200's `what` for a field whose mapping-table row says none; a partial or full row that this object
# does not reach says so instead (coverage/sweep.py), since the field does translate in other uses.
NO_EQUIVALENT = "has no ECS equivalent and was not translated (none)"


@record
class Code:
    id: str
    severity: Severity
    slug: str  # a stable name beside the id (`serviceaccount-not-in-input`): never changed, like the id
    headline: str  # what the problem is, in words a team lead reads at a glance: sentence case, at most 70 characters
    message: str
    remediation: str
    why: str = ""  # why the rule gives this severity (reasons.WHY), shown in the README and `kube2ecs codes`


_CODES = [
    # --- input ------------------------------------------------------------------------------
    Code("K2E001", E, "yaml-error", "YAML that cannot be parsed",
         "YAML cannot be parsed: {detail}",
         "Fix the YAML syntax at this position; the other documents were still translated."),
    Code("K2E002", E, "not-a-manifest", "Document that is not a Kubernetes object",
         "document is not a Kubernetes object: {detail}",
         "Every document needs a mapping with apiVersion, kind and metadata.name."),
    Code("K2E003", E, "wrong-type", "Field of the wrong type",
         "{field} must be {expected}, got {got}",
         "Correct the value; the field was left out of the translation."),
    Code("K2E004", E, "missing-field", "Required field missing",
         "required field {field} is missing",
         "Add the field; Kubernetes would reject this object as well."),
    Code("K2E005", W, "duplicate-object", "Object defined more than once",
         "{kind} {name} is defined more than once (first at {first})",
         "Keep one definition; the first one was translated and this one ignored."),
    Code("K2E006", W, "template-placeholder", "Unrendered template placeholder in a value",
         "value {value!r} looks like an unrendered template placeholder",
         "Render the manifests first (envsubst, helm template, kustomize build) and convert the output."),
    Code("K2E007", E, "input-too-large", "Input too large to translate",
         "{detail}",
         "Split the input or remove the construct; it was not translated."),
    Code("K2E008", E, "invalid-name", "Invalid Kubernetes name",
         "{field} {value} of {kind} is not a valid {rule}: {reason}",
         "Rename it ({hint}); Kubernetes rejects the object as well, so it was left out of the translation."),
    Code("K2E009", I, "output-file-renamed", "Output file renamed to avoid a clash",
         "{what} would be written to {wanted}, which {other} already uses; it is written to {path}",
         "Nothing breaks: use the file named here. Rename one of the two objects to get the usual file names."),
    Code("K2E010", E, "duplicate-key", "Key repeated in a YAML mapping",
         "{detail}",
         "Keep one of the two keys, the one whose value you meant; YAML loaders silently keep the later one."),
    Code("K2E011", E, "env-value-not-string", "Environment variable value that YAML does not read as a string",
         "env {env} of container {container} has the unquoted value {text}, which YAML reads as "
         "{read}, not a string; Kubernetes rejects it, and the variable was left out",
         "Quote the value: value: {fix}"),
    Code("K2E012", E, "invalid-data-key", "Invalid ConfigMap or Secret data key",
         "key {key} of {kind} {name} is not a valid data key: {reason}; the key was left out",
         "Rename the key to letters, digits, '-', '_' and '.' (at most 253 characters, not '.' or '..'); "
         "Kubernetes rejects the {kind} as it is."),
    Code("K2E013", I, "optional-key-absent", "Optional reference to a key that is absent",
         "{ref} refers to key {key}, which {kind} {name} does not have; the reference is optional, "
         "so {what} will be absent",
         "Nothing to do if that is expected; otherwise add the key to {kind} {name}."),
    Code("K2E014", E, "data-value-not-string", "ConfigMap value that YAML does not read as a string",
         "key {key} of ConfigMap {name} has the unquoted value {text}, which YAML reads as "
         "{read}, not a string; Kubernetes rejects it, and the key was left out",
         "Quote the value: {key}: {fix}"),
    Code("K2E020", I, "output-folder-skipped", "Folder of earlier kube2ecs output skipped",
         "{detail}",
         "Nothing to do: kube2ecs never reads its own output back as input. Keep OUT outside the input folders."),
    Code("K2E030", W, "kustomization-folder", "Kustomize folder that needs a kustomize build",
         "{detail}",
         "Manifests that need no kustomize step belong in a folder of their own, which kube2ecs reads as it is."),
    Code("K2E031", W, "helm-chart-folder", "Helm chart folder that needs helm template",
         "{detail}",
         "Give helm template the values file of the environment you migrate (-f values-prod.yaml)."),
    Code("K2E032", W, "namespace-differs", "Object in another namespace than the one given with -n",
         "{kind} {name} names namespace {given}, not {namespace} given with -n; it stays in {given}",
         "kubectl apply -n {namespace} would refuse it: remove its metadata.namespace, or convert it without -n."),
    Code("K2E033", I, "generated-name", "Name generated from generateName",
         "{kind} has generateName {prefix!r} and no name; it is named {name}",
         "The API server adds five random characters; here they come from the object's content, so each run gives the same name. "
         "Set metadata.name if anything refers to the object by name."),
    # --- kinds ------------------------------------------------------------------------------
    Code("K2E100", W, "kind-not-translated", "Kubernetes kind not translated to ECS",
         "{kind} {name} ({api_version}) is not translated to ECS",
         "{remediation}"),
    Code("K2E101", W, "custom-resource", "Custom resource with no ECS equivalent",
         "custom resource {kind} {name} ({api_version}) has no ECS equivalent",
         "{remediation}"),
    Code("K2E102", I, "kind-folded", "Kind with no ECS resource of its own",
         "{kind} {name} carries no ECS resource of its own: {detail}",
         "Nothing to do; listed so that every document is accounted for."),
    # --- fields -----------------------------------------------------------------------------
    Code("K2E200", W, "field-not-translated", "Field with no ECS equivalent",
         "{field} {what}: {note}",
         "{remediation}"),
    Code("K2E201", I, "field-partial", "Field translated with a loss",
         "{field} is translated with a loss: {note}",
         "{remediation}"),
    Code("K2E202", W, "field-unknown", "Field kube2ecs does not know",
         "{field} is not a field kube2ecs knows and was not translated",
         "Check the spelling against the Kubernetes API reference; if it is valid, its behaviour must be rebuilt by hand on ECS."),
    # --- sizing -----------------------------------------------------------------------------
    Code("K2E300", I, "fargate-size", "Fargate task size chosen",
         "task size {cpu} CPU units / {memory} MiB chosen for a need of {need_cpu} / {need_memory} MiB ({basis})",
         "Fargate only offers fixed sizes; set requests and limits to change the choice."),
    Code("K2E301", W, "no-resources", "Container without CPU or memory requests",
         "container {container} sets no cpu/memory requests or limits; assumed {cpu} CPU units / {memory} MiB",
         "Set resources.requests and resources.limits so the Fargate size reflects real use."),
    Code("K2E302", E, "too-big-for-fargate", "Pod too big for the largest Fargate task",
         "the pod needs {need_cpu} CPU units / {need_memory} MiB, more than the largest Fargate task (16 vCPU / 120 GiB)",
         "Use the EC2 launch type or split the pod; the task was sized at the Fargate maximum."),
    Code("K2E303", W, "milli-bytes", "Memory quantity in milli-bytes",
         "memory quantity {value!r} is in milli-bytes (lowercase m)",
         "Write Mi or M; '512m' means 0.512 bytes to Kubernetes."),
    Code("K2E304", E, "bad-quantity", "Value that is not a Kubernetes quantity",
         "{value!r} is not a Kubernetes quantity",
         "Use a quantity such as 250m, 0.5, 512Mi or 1G; the value was ignored."),
    Code("K2E305", I, "cpu-limit-not-enforced", "CPU limit that is not a per-container cap on ECS",
         "container {container} cpu limit {limit} is not a per-container cap on ECS",
         "The task size is the hard CPU cap on Fargate; container cpu becomes a relative share."),
    Code("K2E306", E, "too-many-containers", "More containers than a task definition allows",
         "the pod has {count} containers; an ECS task definition allows 10",
         "Split the pod or merge containers; only the first 10 were translated."),
    # --- probes and lifecycle ---------------------------------------------------------------
    Code("K2E310", W, "probe-clamped", "Probe setting clamped to the ECS range",
         "{probe} {field} {value} is outside the ECS range {low}-{high}; {clamped} used",
         "Check that the clamped value still suits the application."),
    Code("K2E311", W, "probe-in-container", "Probe that runs a tool inside the container",
         "{probe} of container {container} runs `{tool}` inside the container",
         "Make sure the image ships {tool}; otherwise the container health check fails and ECS replaces the task."),
    Code("K2E312", W, "probe-not-mapped", "Probe that ECS cannot express",
         "{probe} of container {container} cannot be expressed: {detail}",
         "{remediation}"),
    Code("K2E313", W, "readiness-without-lb", "Readiness probe with no load balancer to act on",
         "readinessProbe of container {container} has no load balancer to act on: ECS has no readiness gate without a target group",
         "The task takes Service Connect traffic once it runs. Make the check a livenessProbe or startupProbe to have it as "
         "the container health check (a failure replaces the task), or serve the workload through a load balancer."),
    Code("K2E314", I, "liveness-replaces-task", "Probe becomes the container health check",
         "{probe} of container {container} becomes a container health check",
         "On ECS a failed essential container replaces the whole task, not just the container."),
    Code("K2E315", W, "port-protocol-not-mapped", "Port protocol that ECS cannot map",
         "port {port}/{protocol} of container {container} has no ECS port mapping: ECS maps TCP and UDP only",
         "Serve the port over TCP or UDP; the port was left out of the task definition."),
    Code("K2E316", W, "udp-without-service-connect", "Service port that Service Connect cannot carry",
         "Service {name} port {port}/{protocol} is not reachable through Service Connect, which carries TCP only",
         "Callers reach the tasks over {protocol} only by their own addresses (Cloud Map DNS or an NLB: type LoadBalancer)."),
    Code("K2E317", W, "port-tcp-and-udp-on-nlb", "TCP and UDP port on an NLB listener that carries one",
         "Service {name} port {port} is declared for {kept} and {lost}; the NLB listener on it carries {kept} only",
         "Change the listener and its target group to TCP_UDP by hand to carry both; the task definition maps both."),
    Code("K2E318", W, "port-one-protocol", "Container port declared for two protocols",
         "port {port}/{protocol} of container {container} is not in the task definition: ECS maps a container port "
         "for one protocol, and {port}/{kept} is mapped",
         "awsvpc port mappings do not filter traffic (security groups do), but load balancers and Service Connect "
         "see only the {kept} mapping; serve {protocol} on another port if it must be addressed on its own."),
    Code("K2E320", W, "stop-timeout-clamped", "Termination grace period clamped to the Fargate range",
         "terminationGracePeriodSeconds {value} is outside the Fargate range 2-120; stopTimeout {clamped} used",
         "Make shutdown finish within 120 s, or use the EC2 launch type."),
    Code("K2E321", I, "init-containers", "Init container runs before the app containers",
         "init container {container} runs before the app containers (dependsOn SUCCESS)",
         "A failed init container stops the task and the service starts a new one; Kubernetes retries it in place."),
    Code("K2E322", I, "sidecar", "Container becomes a non-essential sidecar",
         "container {container} becomes a non-essential sidecar",
         "When it stops, ECS restarts it (restartPolicy) instead of replacing the task."),
    # --- env, config, secrets ---------------------------------------------------------------
    Code("K2E330", W, "create-secret", "Secret created without its values",
         "Secret {name} becomes Secrets Manager secret {secret_name} with keys {keys}; its values were not copied",
         "Populate it after the first deploy: aws secretsmanager put-secret-value --secret-id {secret_name} --secret-string file://values.json"),
    Code("K2E331", W, "secret-not-in-input", "Secret missing from the input",
         "{ref} refers to Secret {name}, which is not in the input",
         "Create Secrets Manager secret {secret_name} holding a JSON object with key(s) {key} before deploying."),
    Code("K2E332", E, "configmap-not-in-input", "ConfigMap missing from the input",
         "{ref} refers to ConfigMap {name}, which is not in the input",
         "Add the ConfigMap to the input; the variable was left out."),
    Code("K2E333", W, "fieldref-no-equivalent", "Downward-API field with no ECS equivalent",
         "env {env} uses fieldRef {path}, which has no ECS equivalent",
         "Read it at run time from the task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4)."),
    Code("K2E334", I, "env-name-skipped", "Key that is not a valid environment variable name",
         "key {key} of {source} is not a valid environment variable name and was skipped",
         "Kubernetes skips it too; rename the key if the application needs it."),
    Code("K2E335", W, "secret-type", "Secret type that is not an environment secret",
         "Secret {name} of type {type} is not an environment secret",
         "{remediation}"),
    Code("K2E336", E, "key-not-found", "Reference to a key that does not exist",
         "{ref} refers to key {key}, which {kind} {name} does not have",
         "Add the key to {kind} {name} or mark the reference optional: true; Kubernetes would not start the pod, "
         "and {what} was left out."),
    Code("K2E337", W, "plain-secret-env", "Secret-like value held in plain text",
         "env {env} of container {container} looks like a secret held in plain text; its value was not copied",
         "Store the value in {where} ({command}), or better, move it into a Kubernetes Secret."),
    Code("K2E338", I, "config-value-too-large", "ConfigMap value too large for an SSM parameter",
         "key {key} of ConfigMap {name} is {size} bytes, over the {limit} bytes a standard SSM parameter holds; "
         "it stays in the task definition",
         "Nothing breaks; to keep it out of the task definition, put it in an advanced-tier parameter (8 KB, a monthly charge) or the image."),
    # --- services and networking ------------------------------------------------------------
    Code("K2E339", I, "plain-credential", "Credential copied in plain text into the task definition",
         "{where} of container {container} holds a credential in plain text; it is copied into the task definition",
         "ECS cannot read {what} from a secret: move the value into a Kubernetes Secret, pass it as an environment variable "
         "and let the application (or a shell: sh -c '... \"$VAR\"') read it there."),
    Code("K2E340", W, "nodeport", "NodePort Service with no nodes on Fargate",
         "Service {name} of type NodePort has no nodes to open on Fargate",
         "It was translated as a ClusterIP Service (Service Connect); use type LoadBalancer for outside access."),
    Code("K2E341", W, "externalname", "ExternalName Service",
         "Service {name} of type ExternalName points at {target}",
         "Give callers the target name through an environment variable or a Route 53 private-zone CNAME."),
    Code("K2E342", W, "headless", "Headless Service without per-pod DNS",
         "headless Service {name} has no per-pod DNS on ECS",
         "It was translated as a Service Connect endpoint; clients reach one task, not each pod."),
    Code("K2E343", W, "service-without-workload", "Service that selects no translated workload",
         "Service {name} selects no translated workload ({selector})",
         "Check the selector; nothing was created for this Service."),
    Code("K2E344", E, "target-port-unresolved", "Service targetPort that no container declares",
         "Service {name} port {port} targets {target}, which no container of {workload} declares",
         "Name the container port or use its number; the port was not exposed."),
    Code("K2E345", I, "service-connect-aliases", "Service Connect names of a Service",
         "Service {name} port {port} is reachable as {aliases}",
         "Tasks of ECS services in the same Service Connect namespace resolve it; a caller that writes another "
         "Kubernetes form of the name (svc.ns, svc.ns.svc.cluster.local) has it rewritten to this alias (K2E356)."),
    Code("K2E346", W, "annotation-ignored", "Annotation with no ECS equivalent, ignored",
         "annotation {annotation} of {kind} {name} has no ECS meaning and was ignored",
         "{remediation}"),  # chosen by the annotation's kind and key: findings/annotations.py
    Code("K2E359", I, "annotation-deploy-tool", "Deploy-tool annotation with nothing to do on ECS",
         "annotation {annotation} of {kind} {name} tells {tool} how to deploy the object; it was ignored",
         "{remediation}"),
    Code("K2E347", I, "load-balancer", "Service becomes a load balancer",
         "Service {name} becomes an {lb_type} ({scheme}) listening on {ports}",
         "Supply the load-balancer subnets parameter; restrict the security group ingress if the Service did."),
    Code("K2E348", W, "service-without-selector", "Service without a selector",
         "Service {name} has no selector; its endpoints are managed by hand",
         "Point callers at the real endpoint through an environment variable or a Route 53 record."),
    Code("K2E349", W, "udp-on-alb", "Service port that an ALB cannot carry",
         "Service {name} port {port} uses {protocol}, which an ALB cannot carry",
         "{remediation}"),
    Code("K2E353", W, "service-many-workloads", "Service that selects several workloads",
         "Service {name} selects {count} workloads ({workloads}); its Service Connect name routes to {first} only",
         "Merge the workloads into one, or put a load balancer in front of them; a Service Connect name belongs to one ECS service."),
    Code("K2E354", W, "create-parameters", "Secret read from SSM parameters that must be created first",
         "Secret {name} is read from SSM SecureString parameters under {prefix}/ (keys {keys}); its values were not copied",
         "CloudFormation cannot create SecureString parameters; before deploying, for each key: "
         "aws ssm put-parameter --type SecureString --name {prefix}/<key> --value ..."),
    # --- reachability -----------------------------------------------------------------------
    Code("K2E356", I, "call-rewritten", "Call rewritten to its Service Connect alias",
         "{where} of container {container} calls {written}, a name ECS does not resolve; "
         "it now calls {alias}, the Service Connect alias of Service {name} (namespace {namespace})",
         "Nothing to do: the tasks resolve {alias} through Service Connect. If the application builds the name "
         "itself (from the namespace, say), make it use {alias}."),
    Code("K2E357", E, "call-unresolved", "Call that will not resolve on ECS",
         "{where} of container {container} calls {written} (Service {name} of namespace "
         "{namespace}), which will not resolve on ECS: {reason}",
         "{remediation}"),
    Code("K2E358", I, "shared-service-connect-namespace", "Namespaces sharing a Service Connect namespace",
         "namespace {namespace} and {others} are joined by calls between "
         "their workloads: their ECS services share the Service Connect namespace and the security group that stack {owner} creates and exports",
         "Deploy stack {owner} first (the others import its exports), and the called services before their callers: "
         "a task resolves only the Service Connect names published before it started."),
    Code("K2E360", I, "call-dns-name", "Call rewritten to a Cloud Map DNS name",
         "{where} of container {container} calls {written}; {kind} {caller} is no Service Connect client "
         "({why}), so it now calls {text}, the Cloud Map DNS name of the tasks of Service {name} (namespace {namespace})",
         "Nothing to do: the name resolves from any task of the VPC. DNS gives the tasks' own addresses, so the "
         "port is the container's, not the Service's; if the application builds the address itself, make it use {text}."),
    Code("K2E361", I, "dns-registration", "Service's tasks registered in Cloud Map DNS",
         "Service {name} also registers its tasks in Cloud Map as {dns} (A records) for {callers}, which "
         "cannot use Service Connect",
         "Nothing to do: the private DNS namespace and the Cloud Map service are in the stack; the Service Connect "
         "names stay as they were."),
    Code("K2E362", W, "statefulset-per-pod", "StatefulSet becomes one ECS service per pod",
         "StatefulSet {name}'s pods are called by name ({callers}): it becomes {count} ECS services, one per pod "
         "({pods}), each with one task and its own DNS name ({example}, ...){volumes}",
         "The number of pods is the replica count at conversion: to change it, change replicas and convert again (peer "
         "lists must agree). The members roll out one after the other, each stopping its task before starting the new "
         "one; a PodDisruptionBudget cannot span them. Service {service}'s Service Connect name now reaches {first} only."),
    Code("K2E363", W, "autoscaler-per-pod", "Autoscaler on a StatefulSet split per pod",
         "HorizontalPodAutoscaler {name} scales StatefulSet {statefulset} ({low}-{high} pods), whose {count} pods became "
         "one ECS service each; it was not translated",
         "A pod with a name of its own cannot be added by scaling an ECS service: set replicas to the size you need "
         "and convert again."),
    Code("K2E364", I, "pod-name-rewritten", "Per-pod name rewritten to its DNS name",
         "{where} of container {container} calls {written}; it now calls {text}, the DNS name of pod {pod} "
         "of StatefulSet {statefulset}",
         "Nothing to do: the name resolves from any task of the VPC. If the application builds the name itself, make it "
         "use the full form (`<pod>.<service>.<namespace>.svc.cluster.local`)."),
    Code("K2E365", W, "call-to-parameter", "Call to a Service that an untranslated resource serves",
         "{where} of container {container} calls {written} (Service {name} of namespace {namespace}), whose pods "
         "come from {owner}, which kube2ecs does not translate: it now calls {text}, a DNS name (CNAME) for the "
         "address you give as parameter {parameter} of stack {stack}",
         "Run what {owner} runs on AWS (or its managed equivalent), reachable from the tasks on port(s) {ports}, and "
         "deploy stack {stack} with {parameter} set to its DNS name."),
    Code("K2E367", W, "call-in-secret-value", "Call inside a value kept in a secret, to a name ECS does not resolve",
         "{where} of container {container} is kept in a secret you fill and calls {written}, a name ECS does not "
         "resolve; the tasks reach Service {name} (namespace {namespace}) as {alias}",
         "When you store the value, write {alias} in place of {written}; the rest of the value stays as it was."),
    Code("K2E368", I, "service-link-variable", "Reference to a variable Kubernetes sets for a Service",
         "{where} of container {container} refers to $({ref}), which Kubernetes sets for Service {name}; ECS sets no "
         "such variable, so the reference became {value}",
         "Nothing to do: {value} reaches the Service on ECS (see the call's finding, if any). If the application reads "
         "{ref} from its environment itself, set it in the manifest."),
    Code("K2E369", E, "argument-reference-to-secret", "Command argument naming a secret variable that ECS does not expand",
         "{where} of container {container} refers to $({ref}), which comes from a secret; ECS passes the argument "
         "as written",
         "Expand it in the container instead: run the command through a shell (sh -c '... \"${ref}\" ...'), which "
         "reads {ref} from the environment, where the task puts it; or read {ref} in the application."),
    Code("K2E366", W, "call-service-missing", "Call to a cluster name of a Service missing from the input",
         "{where} of container {container} calls {written} (Service {name} of namespace {namespace}, which is not "
         "in the input): only the cluster's DNS answers that name, and nothing of the output does on ECS",
         "Add Service {name} and the workload behind it to the input and convert again, or set the value to the "
         "address where {name} runs for the ECS tasks (a load balancer's DNS name, a Cloud Map name)."),
    # --- identity ---------------------------------------------------------------------------
    Code("K2E355", E, "env-reference-to-secret", "Reference to a secret variable that ECS does not expand",
         "env {env} of container {container} refers to $({ref}), which comes from a secret; ECS does not expand it",
         "Read {ref} in the application instead, or keep the whole value in a secret key of its own."),
    Code("K2E350", W, "irsa-role", "IRSA role becomes the task role",
         "ServiceAccount {name} role {role} becomes the task role",
         "Add ecs-tasks.amazonaws.com as a trusted principal of that role (IRSA trusts the cluster's OIDC provider)."),
    Code("K2E351", W, "serviceaccount-not-in-input", "ServiceAccount missing from the input",
         "workload {workload} uses ServiceAccount {name}, which is not in the input",
         "A task role without permissions was created; add the permissions the application needs."),
    Code("K2E352", W, "image-pull-secret", "Image pull secret becomes repository credentials",
         "imagePullSecret {name} becomes repository credentials in Secrets Manager secret {secret_name}",
         "Store {{\"username\": ..., \"password\": ...}} for the registry in that secret; ECR images need none."),
    # --- decisions and output ---------------------------------------------------------------
    Code("K2E370", I, "default-used", "Default value used",
         "{option} not set; default {value!r} used",
         "Set {option} in kube2ecs.yaml to choose another value."),
    Code("K2E371", E, "stack-too-large", "Stack over CloudFormation's limits", (
        "stack {stack} has {count} resources, {outputs} outputs and {size} bytes, "
        "over CloudFormation's limits (500 resources, 200 outputs, 1,000,000 bytes)"),
         "Convert the namespace's folders in separate runs, or give the workloads separate namespaces; the template will not deploy as is."),
    Code("K2E372", I, "tags-dropped", "Labels or annotations not copied to tags",
         "{what} of {name} were not copied to tags: {detail}",
         "AWS tags allow 50 per resource, 128-character keys, 256-character values and a limited character set."),
    Code("K2E373", I, "names-shortened", "Name shortened to fit a length limit",
         "name {name!r} was shortened to {short!r} to fit the {limit}-character limit of {what}",
         "Nothing to do unless another system looks the resource up by name."),
    Code("K2E374", I, "rollout", "Rolling update as ECS deployment percentages", (
        "rolling update maxSurge {surge} / maxUnavailable {unavailable} of {replicas} replicas becomes "
        "maximumPercent {maximum} / minimumHealthyPercent {minimum}"),
         "Deployments roll out with the same number of tasks up and down as on Kubernetes."),
    Code("K2E375", I, "stack-split", "Stack split into several templates",
         "stack {stack} has {count} resources and was split into {parts} templates: {names}",
         "Deploy the parts one after the other in this order ({names}): each part imports values that the parts before it export."),
    Code("K2E376", I, "tag-values-cleaned", "Tag values changed to fit AWS tags", (
        "{what} of {name}: the tag values of {keys} were changed to fit AWS tags (a tab or line break became a "
        "space, other characters outside letters, numbers, spaces and _.:/=+-@ became '-')"),
         "Nothing to do unless a tag policy or a cost report reads these tags; the manifests keep the full values."),
    Code("K2E377", W, "dynamic-reference-text", "Text that CloudFormation would read as a dynamic reference", (
        "value {value!r} holds '{{{{resolve:', which CloudFormation resolves as a dynamic reference wherever it "
        "stands and has no escape for: the templates write it '{{ {{resolve:'; the task-definition JSON keeps it"),
         "If the text is meant literally, register the task-definition JSON with the ECS API or set the value after "
         "the deploy; if a CloudFormation dynamic reference was meant, add it to the template yourself."),
    Code("K2E390", I, "outputs-left-out", "Stack outputs left out to stay within CloudFormation's limit",
         "stack {stack} would have {count} outputs, over CloudFormation's 200: {left} were left out ({kinds})",
         "Read the values left out from the resources themselves (aws ecs list-services, aws elbv2 "
         "describe-load-balancers); the outputs kept are the cluster, the load-balancer URLs and the services first."),
    # --- progressive delivery (Argo Rollouts, Flagger) ----------------------------------------------
    Code("K2E380", I, "delivery-strategy", "Progressive delivery becomes a native ECS deployment",
         "{name} deploys {workload} with the ECS {strategy} strategy: {detail}",
         "Nothing to do; deploys of a new task definition shift traffic this way."),
    Code("K2E381", W, "delivery-steps-changed", "Rollout steps ECS cannot follow as written",
         "steps of {name} ({steps}) cannot be written as ECS writes them: {change}",
         "Check that the ECS steps are acceptable, or change the deployment configuration of the service."),
    Code("K2E382", W, "delivery-analysis", "Rollout analysis that ECS does not run",
         "{name} checks {analyses} before promoting; ECS runs no such analysis",
         "Create CloudWatch alarms on the metrics the analysis reads and list them under the service's "
         "DeploymentConfiguration Alarms (rollback on alarm), or run the checks in a Lambda lifecycle hook."),
    Code("K2E383", I, "delivery-manual-promotion", "Manual promotion becomes an ECS pause hook",
         "{name} waits to be promoted by hand: ECS pauses the deployment at {stage}",
         "Continue a paused deployment with the ECS ContinueServiceDeployment API (aws ecs continue-service-deployment), "
         "or stop it to roll back."),
    Code("K2E384", E, "delivery-target-missing", "Rollout target missing from the input",
         "{name} rolls out {kind} {target}, which is not in the input",
         "Add the {kind} to the input, or remove the {source}."),
    Code("K2E385", W, "delivery-behind-load-balancer", "Progressive delivery behind a load balancer stays rolling",
         "{name}: {workload} registers in a load balancer in a way ECS cannot shift traffic on ({reason}), so its ECS "
         "service keeps rolling deployments instead of {strategy}",
         "Route each target group of the service through one ALB listener or Ingress rule, or add an alternate target "
         "group, a production listener (NLB) or rule (ALB) and a role for ECS, set them in the service's LoadBalancers "
         "AdvancedConfiguration, then set the strategy "
         "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html)."),
    Code("K2E386", W, "delivery-service-missing", "Service that Flagger would create is missing",
         "Flagger creates Service {service} for Canary {name}; the input has no such Service, so on ECS {workload} "
         "is not reachable by that name",
         "Add a Service {service} that selects the workload's pods (the Canary's service port and targetPort), "
         "as `kubectl get service {service} -o yaml` shows it in the cluster."),
    Code("K2E378", I, "delivery-traffic-shifting", "Load balancer shifts traffic between two target groups",
         "{name}: ECS deploys {workload} with {strategy} by shifting the weights of {rules} from target group {primary} "
         "to {alternate}, through role {role}",
         "Nothing to do. ECS rewrites the rule's weights during each deployment; a later stack update sets them back "
         "to the template's, so update the stack only when no deployment runs."),
    Code("K2E379", W, "delivery-preview-header", "Preview Service reached with a test header",
         "{name}: preview Service {preview} has no address of its own on ECS; during a blue/green deployment, requests "
         "{where} that carry header {header}: {preview} reach the new revision, other requests the production one",
         "Send the header with the requests that test the new revision (smoke tests, analysis), instead of calling "
         "{preview}."),
    Code("K2E389", W, "delivery-preview-ingress", "Preview Service of an Ingress-routed service not reachable",
         "{name}: ECS shifts traffic on Ingress rule {rule}; preview Service {preview} gets no test listener rule, so "
         "the new revision takes no test traffic through the load balancer before production traffic",
         "Add a listener rule on the same listener with a higher priority, the rule's conditions and a header "
         "condition, forwarding to both target groups, and set it as TestListenerRule of the service."),
    Code("K2E777", I, "delivery-rollout-replicas", "Rollout's replica count runs the workload it refers to",
         "Rollout {name} runs {replicas} replica(s) of {kind} {workload}, which sets {own}: its ECS service takes the "
         "Rollout's count",
         "Nothing to do: Argo runs the Rollout's replicas with the workload's pod template and scales the workload "
         "itself down."),
    Code("K2E778", W, "delivery-daemon-rolling", "Progressive delivery of a DaemonSet stays rolling",
         "{name} rolls out DaemonSet {workload}: ECS updates the one task per instance it runs for a DaemonSet (a "
         "DAEMON service, a managed daemon) with rolling updates only, so its steps, pauses and analysis are not followed",
         "Check new versions of the daemon another way (a canary group of instances with its own placement "
         "constraint, or CloudWatch alarms on the service's deployment), or accept the rolling update."),
    Code("K2E779", W, "delivery-duplicate", "Second Rollout or Canary for one workload",
         "{name} also rolls out {workload}, which {first} already rolls out: its ECS service follows {first} only",
         "Keep one Rollout or Canary per workload, or decide that the one kube2ecs followed is the one meant."),
    Code("K2E781", I, "delivery-alb-root-service", "Argo's ALB action becomes the root Service's listener rule",
         "Rollout {name}: Ingress {ingress} backend {service}:use-annotation, whose forward action Argo writes at run "
         "time, sends to Service {service} port {port}; ECS shifts that rule's weights between the service's target "
         "groups instead",
         "Nothing to do; the actions annotation Argo maintains is not needed on ECS."),
    # --- operations (ECS Exec) -----------------------------------------------------------------------
    Code("K2E387", I, "execute-command", "ECS Exec is on for the service",
         "ECS Exec is on for service {service}: {command}",
         "Install the Session Manager plugin for the AWS CLI where the command runs. A task role the stack creates "
         "has the ssmmessages permissions the agent needs; another role needs them granted (K2E388)."),
    Code("K2E388", W, "execute-command-role", "ECS Exec needs permissions on a role kube2ecs does not create",
         "ECS Exec is on for {workload}, whose task role {role} is not created by the stack: without "
         "{actions} the command cannot open a session",
         "Grant that role {actions} on resource \"*\" (these actions have no resource-level permissions)."),
    # --- autoscaling, disruption budgets, batch, bare pods (K2E400-K2E429) -----------------
    Code("K2E400", I, "autoscaled", "HorizontalPodAutoscaler becomes ECS service scaling", (
        "HorizontalPodAutoscaler {name} scales ECS service {service} between {min} and {max} tasks "
        "(ScaleOutCooldown {scale_out} s, ScaleInCooldown {scale_in} s); DesiredCount is left out of the template"),
         "Stack updates keep the running count; a first deploy starts 1 task and Application Auto Scaling raises it to {min}."),
    Code("K2E401", I, "utilization-rescaled", "Utilization target rescaled to the task size", (
        "{metric} target {target}% of the pod's requests ({requested} {unit}) becomes TargetValue {value}% of "
        "the task's {size} {unit} (TargetValue = target x requests / task size)"),
         "ECS measures utilization against the task size, Kubernetes against the requests; the rescaled target keeps the same use per task."),
    Code("K2E402", W, "autoscaler-target-missing", "Autoscaler target not translated",
         "HorizontalPodAutoscaler {name} scales {kind} {target}, which is not translated to an ECS service",
         "Add the {kind} to the input or correct scaleTargetRef; no scaling resources were created."),
    Code("K2E403", W, "custom-metric", "Autoscaler metric with no predefined ECS metric",
         "{type} metric {metric} ({target}) of HorizontalPodAutoscaler {name} has no predefined ECS metric; no policy was created for it",
         "{remediation}"),
    Code("K2E404", I, "stabilization-cooldown", "Stabilization window becomes a cooldown",
         "behavior.{direction}.stabilizationWindowSeconds {window} becomes {cooldown} {window}",
         "A cooldown waits after a scaling activity instead of taking the highest recommendation of a window; check the value under load."),
    Code("K2E405", W, "behavior-not-mapped", "Autoscaler behavior that ECS cannot express",
         "behavior.{direction}.selectPolicy {policy} of HorizontalPodAutoscaler {name} cannot be expressed: {detail}",
         "{remediation}"),
    Code("K2E406", W, "utilization-without-request", "Utilization target without container requests", (
        "{metric} utilization target {target}% of HorizontalPodAutoscaler {name}: container(s) {containers} set no "
        "{metric} request, so Kubernetes cannot compute it; TargetValue {target}% of the task size used"),
         "Set {metric} requests on every container, then convert again to rescale the target."),
    Code("K2E407", W, "autoscaler-duplicate", "Two autoscalers for one workload",
         "{source} {name} scales ECS service {service}, which {first} already scales",
         "Keep one autoscaler per workload; only {first} was translated."),
    Code("K2E408", I, "average-value-target", "Average-value target as utilization of the task",
         "{metric} target averageValue {quantity} per pod becomes TargetValue {value}% of the task's {size} {unit}",
         "ECS target tracking works on utilization percentages of the task size."),
    Code("K2E409", W, "target-value-capped", "Autoscaler target capped at the task size",
         "{metric} target of HorizontalPodAutoscaler {name} comes to {value}% of the task size; {capped}% used",
         "A Fargate task never uses more than its size, so the policy could never scale out; lower the target or raise requests."),
    Code("K2E410", I, "disruption-budget", "PodDisruptionBudget becomes the minimum healthy percent", (
        "PodDisruptionBudget {name} ({budget}) keeps {needed} of {replicas} tasks of {service}: minimumHealthyPercent {pdb}; "
        "the rolling update gives {rollout}; {chosen} used"),
         "The stricter value wins. ECS applies it to deployments only: Fargate maintenance and failed tasks are not held back, and "
         "Kubernetes applies a budget to evictions, not to rollouts."),
    Code("K2E411", W, "disruption-budget-unmatched", "PodDisruptionBudget that selects no ECS service",
         "PodDisruptionBudget {name} selects no translated ECS service ({selector})",
         "Check the selector; the budget was not applied."),
    Code("K2E412", I, "rollout-widened", "Rollout widened so that ECS can replace a task", (
        "minimumHealthyPercent {minimum} with maximumPercent {maximum} leaves ECS no task to start or stop for {replicas} tasks; "
        "maximumPercent {raised} used"),
         "Deployments now start a new task before stopping an old one; allow the extra task in quotas and capacity."),
    Code("K2E413", E, "bad-budget-value", "Budget value that is neither an integer nor a percentage",
         "{field} {value!r} is neither an integer nor a percentage",
         "Write an integer or a percentage such as 50%; the budget was not applied."),
    Code("K2E414", W, "container-metric", "Container metric becomes a task-level metric",
         "ContainerResource {metric} metric of container {container} becomes a task-level metric",
         "ECS measures the whole task; the target was rescaled over all the pod's requests, so the other containers' use now counts."),
    Code("K2E415", W, "run-task", "Task definition that nothing starts by itself",
         "{kind} {name} becomes task definition {family}, which nothing starts by itself",
         "Run it with: {command}"),
    Code("K2E429", W, "deploy-hook", "Deploy hook that must be run by hand",
         "{tool} marks {kind} {name} as a hook ({hooks}): run it {when}; CloudFormation starts nothing by itself",
         "Run it {when}, and wait for it to finish: {command}"),
    Code("K2E416", W, "completions", "Job completions that ECS does not count",
         "Job {name} asks for {completions} completion(s), {parallelism} at a time; ECS starts {count} task(s) per run and counts no completions",
         "Start tasks again until enough have succeeded, or use an AWS Batch array job or a Step Functions Map state; "
         "one run-task call starts at most 10 tasks."),
    Code("K2E417", W, "no-retries", "Failed pod retries that ECS does not make",
         "{kind} {name} retries a failed pod ({detail}); ECS runs the task once",
         "Start it from Step Functions (arn:aws:states:::ecs:runTask.sync) with a Retry of MaxAttempts {attempts}, or start it again by hand."),
    Code("K2E418", I, "schedule", "CronJob schedule converted for EventBridge Scheduler",
         "CronJob {name} schedule {schedule!r} becomes {expressions}",
         "EventBridge Scheduler takes six fields with ? in day-of-month or day-of-week and numbers weekdays 1-7 from Sunday; "
         "the schedule was converted, not copied."),
    Code("K2E419", W, "schedule-either-day", "CronJob schedule restricting both day fields",
         "CronJob {name} schedule {schedule!r} restricts both day-of-month and day-of-week, which Kubernetes ORs; two schedules were created",
         "A day that matches both fields starts the job twice; make it idempotent or keep one of the fields."),
    Code("K2E420", E, "schedule-invalid", "CronJob schedule that cannot be converted",
         "CronJob {name} schedule {schedule!r} cannot be converted: {detail}",
         "Fix the schedule; only the task definition was created."),
    Code("K2E421", W, "schedule-interval", "Interval schedule counted from its creation",
         "CronJob {name} schedule {schedule!r} becomes {expression}, counted from when the schedule is created",
         "Kubernetes counts @every from the controller's start; use a cron expression if runs must fall at fixed times."),
    Code("K2E422", I, "schedule-time-zone", "CronJob without a time zone",
         "CronJob {name} sets no timeZone: Kubernetes uses the controller manager's time zone, EventBridge Scheduler uses UTC",
         "Set spec.timeZone (e.g. Europe/Berlin) if the schedule is meant in local time."),
    Code("K2E423", I, "bare-pod-service", "Bare Pod becomes a one-task ECS service",
         "bare Pod {name} becomes an ECS service with one task",
         "ECS replaces the task when it stops and on every change; Kubernetes never recreates a bare Pod. Prefer a Deployment."),
    Code("K2E424", I, "replication-controller", "ReplicationController becomes an ECS service",
         "ReplicationController {name} becomes an ECS service like a Deployment",
         "ECS rolls out template changes with the Deployment defaults (maxSurge 25%, maxUnavailable 25%); a ReplicationController only replaced deleted pods."),
    Code("K2E425", W, "job-suspended", "Suspended Job",
         "Job {name} is suspended (spec.suspend: true)",
         "Do not run the task until the job is resumed; ECS has nothing to suspend."),
    Code("K2E426", W, "role-arn-invalid", "IRSA role annotation that is not a role ARN",
         "ServiceAccount {name} annotation eks.amazonaws.com/role-arn {role!r} is not an IAM role ARN; a task role without permissions was created",
         "Render the placeholder or write the full role ARN (arn:aws:iam::<account>:role/<name>), then convert again."),
    Code("K2E427", I, "disruption-budget-shared", "PodDisruptionBudget shared by several ECS services",
         "PodDisruptionBudget {name} selects {count} ECS services ({services}); each keeps the budget on its own",
         "Kubernetes counts the pods of all of them together; ECS keeps a minimum per service, which is stricter. "
         "Check each service's minimum healthy percent."),
    Code("K2E428", I, "starting-deadline", "CronJob starting deadline becomes a retry window",
         "CronJob {name} startingDeadlineSeconds {seconds} becomes the schedule's retry window of {age} s",
         "The Scheduler retries a start that failed for at most that long (60 s to a day); a start missed while "
         "nothing could run it is not skipped as Kubernetes would, so make the job safe to run late."),
    # --- end of K2E400-K2E429 ---
    # --- ingress and network policy (K2E430-K2E459) -----------------------------------------
    Code("K2E430", I, "ingress-load-balancer", "Ingress served by an ALB",
         "Ingress {name} is served by ALB {lb} ({scheme}) on {listeners}",
         "Supply the load-balancer subnets parameter; point the DNS names of the Ingress hosts at the ALB."),
    Code("K2E431", W, "ingress-service-missing", "Ingress backend Service missing from the input",
         "Ingress {name} backend {backend} refers to Service {service}, which is not in the input",
         "Add the Service and its workload to the input; the rule was left out."),
    Code("K2E432", W, "ingress-service-without-workload", "Ingress backend Service without a translated workload",
         "Ingress {name} backend {backend}: Service {service} {detail}",
         "Point the backend at a Service that selects a Deployment in the input; the rule was left out."),
    Code("K2E433", E, "ingress-port-unresolved", "Ingress backend port the Service does not have",
         "Ingress {name} backend {backend}: port {port} is not a port of Service {service}",
         "Use a port number or name the Service declares; the rule was left out."),
    Code("K2E434", W, "ingress-resource-backend", "Ingress resource backend that an ALB cannot serve",
         "Ingress {name} backend {what} is a resource, not a Service",
         "An ALB forwards to ECS services only; serve the content from a Service, or from S3 behind CloudFront. The rule was left out."),
    Code("K2E435", E, "ingress-path-not-expressible", "Ingress path that an ALB cannot match",
         "Ingress {name} path {path!r} ({path_type}) cannot be an ALB path pattern: {detail}",
         "{remediation}"),
    Code("K2E436", E, "ingress-host-not-expressible", "Ingress host that an ALB cannot match",
         "Ingress {name} host {host!r} cannot be an ALB host condition: {detail}",
         "ALB host conditions take names of at most 128 characters with a dot and letters after the last dot; the rule was left out."),
    Code("K2E437", I, "ingress-implementation-specific", "ImplementationSpecific path read as the AWS controller reads it", (
        "Ingress {name} path {path!r} (ImplementationSpecific) becomes the ALB path pattern {path!r}, as the AWS "
        "Load Balancer Controller does: an exact match in which * and ? are wildcards"),
         "Use pathType Prefix or Exact if the path was meant for another controller's prefix or regex matching."),
    Code("K2E438", I, "ingress-other-controller", "Ingress of another controller becomes an ALB",
         "Ingress {name} of class {ingress_class} ({controller}) becomes an ALB",
         "The ALB takes the place of the ingress controller; behaviour specific to that controller (rewrites, regex paths, its annotations) is not carried."),
    Code("K2E439", W, "ingress-tls-certificate", "TLS Secret becomes a certificate parameter",
         "Ingress {name} TLS Secret {secret} becomes the certificate stack parameter {parameter}",
         "Import the certificate into ACM (aws acm import-certificate --certificate fileb://tls.crt "
         "--private-key fileb://tls.key) and pass its ARN as {parameter}."),
    Code("K2E440", W, "ingress-group-conflict", "Conflicting settings in an IngressGroup",
         "Ingress {name} sets {setting} to {value}, but {first} already set it to {kept} for ALB {lb}",
         "Set the same value on every Ingress of the group; {kept} was used."),
    Code("K2E441", W, "ingress-group-namespaces", "IngressGroup spanning several namespaces",
         "IngressGroup {group} spans namespaces {namespaces}; each namespace gets an ALB of its own",
         "Put the Ingresses into one namespace, or add listener rules for the other namespaces' target groups to one ALB by hand."),
    Code("K2E442", W, "ingress-annotation-value", "Invalid ALB annotation value",
         "annotation {annotation} of Ingress {name} is not valid: {detail}",
         "Fix the value; it was ignored and the default used."),
    Code("K2E443", I, "ingress-target-type", "Instance target type requested on an Ingress",
         "Ingress {name} asks for target type {value}; ECS tasks register in ip target groups",
         "Nothing to do: awsvpc tasks are always registered by IP address."),
    Code("K2E444", E, "alb-rule-limit", "ALB rule limit reached",
         "ALB {lb} already has {limit} rules, the most an ALB allows; this path of listener {port} was left out",
         "Split the Ingresses over several groups (alb.ingress.kubernetes.io/group.name), or request a rules-per-ALB quota increase and add them by hand."),
    Code("K2E445", E, "alb-target-groups-per-service", "ECS service in too many target groups",
         "ECS service {service} is already in 5 target groups; {kind} {name} backend {backend} was left out",
         "An ECS service can register with at most 5 target groups; route several paths to the same Service port."),
    Code("K2E446", W, "nothing-to-attach", "Object with no translated workload in its namespace",
         "{kind} {name}: namespace {namespace} has no translated workload, so nothing was created",
         "Convert it together with the Deployments and Services of its namespace."),
    Code("K2E447", W, "ingress-nothing-routed", "Ingress that routes nothing",
         "Ingress {name} routes nothing: {detail}",
         "Add rules or a default backend that name a Service of a workload in the input."),
    Code("K2E450", I, "network-policy", "NetworkPolicy becomes a security group",
         "NetworkPolicy {name} isolates {workloads}: {allowed}",
         "These ECS services get a security group of their own that admits only the sources listed; their load balancers still reach them."),
    Code("K2E451", W, "network-policy-selects-nothing", "NetworkPolicy that selects no ECS service",
         "NetworkPolicy {name} selects no ECS service: {detail}",
         "Check the pod selector; nothing was created for this policy."),
    Code("K2E452", W, "network-policy-peer-unresolved", "NetworkPolicy source that matches no ECS service",
         "NetworkPolicy {name} admits {peer}, which matches no ECS service in namespace {namespace}",
         "That source was left out; no other source is admitted in its place."),
    Code("K2E453", W, "network-policy-other-namespace", "NetworkPolicy source in another namespace",
         "NetworkPolicy {name} admits {peer}: other namespaces are other stacks",
         "Add a SecurityGroupIngress to {group} from the other namespace's ServicesSecurityGroup (or its subnets' CIDR) by hand."),
    Code("K2E454", W, "network-policy-ipblock-except", "NetworkPolicy ipBlock with exceptions",
         "NetworkPolicy {name} admits {cidr} except {excepted}; a security group cannot deny",
         "The whole {cidr} is admitted; deny the excepted ranges with a network ACL on the task subnets if they must stay out."),
    Code("K2E455", W, "network-policy-egress", "NetworkPolicy egress rules not translated",
         "NetworkPolicy {name} restricts the egress of {workloads}, which is not translated",
         "The tasks keep their security groups' allow-all egress; replace it with SecurityGroupEgress rules by hand if outbound traffic must be limited."),
    Code("K2E456", W, "network-policy-port-unresolved", "NetworkPolicy port name not found",
         "NetworkPolicy {name} port {port!r} is not a named container port of {workload}",
         "Use the port number or a name the container declares; that port was left out for {workload}."),
    Code("K2E457", W, "network-policy-protocol", "NetworkPolicy port protocol that ECS tasks do not carry",
         "NetworkPolicy {name} port {port} uses {protocol}, which ECS tasks do not carry",
         "Tasks take TCP and UDP only; that port was left out."),
    # --- end of K2E430-K2E459 ---
    # --- stateful sets, daemon sets, volumes, EC2 launch type (K2E460-K2E499) ---------------
    Code("K2E460", W, "statefulset-identity", "StatefulSet pods lose their stable identity", (
        "StatefulSet {name} becomes one ECS service of {replicas} interchangeable task(s): "
        "pods lose their stable names ({names}) and ordinals"),
         "Clients that address one replica by name (peers, seeds, a primary) need another way to find it: "
         "Cloud Map instance lookups, leader election, or one ECS service per replica."),
    Code("K2E461", I, "statefulset-ordered", "StatefulSet ordered start not kept", (
        "StatefulSet {name} starts its pods one ordinal after another (podManagementPolicy OrderedReady); "
        "ECS starts and stops tasks in parallel"),
         "Make start-up order-independent (retry joining the cluster), or deploy with 1 task and raise the count step by step."),
    Code("K2E462", W, "update-strategy", "Update strategy that ECS cannot keep",
         "{kind} {name} updateStrategy {detail} cannot be kept on ECS",
         "{remediation}"),
    Code("K2E463", W, "claim-template-shared", "Volume claim template shared by all tasks", (
        "volumeClaimTemplate {claim} of StatefulSet {name} becomes one EFS file system shared by all {replicas} task(s), "
        "not one volume per pod"),
         "Make each task write below a directory of its own (for example named after the task ID from ECS_CONTAINER_METADATA_URI_V4), "
         "or run one ECS service per replica."),
    Code("K2E464", W, "governing-service-missing", "StatefulSet governing Service missing from the input",
         "StatefulSet {name} names Service {service} as its serviceName, which is not in the input",
         "Add the headless Service to the input; without it the tasks get no Service Connect name."),
    Code("K2E465", I, "volume-replaced-by-claim", "Pod volume replaced by a volume claim template", (
        "pod volume {volume} of StatefulSet {name} is replaced by the volumeClaimTemplate of the same name, "
        "as Kubernetes does"),
         "Nothing to do; remove the pod volume to make the manifest say what runs."),
    Code("K2E466", E, "block-claim", "Raw block volume requested",
         "{what} asks for a raw block device (volumeMode Block); nothing was created for it",
         "Neither Fargate nor EFS offers raw block volumes; attach an EBS volume to the ECS service by hand (one per task) if the application needs one."),
    Code("K2E467", W, "claim-not-in-input", "PersistentVolumeClaim missing from the input",
         "volume {volume} uses PersistentVolumeClaim {claim}, which is not in the input",
         "An EFS file system was created for it; check that an elastic file system shared by all tasks suits the application."),
    Code("K2E468", I, "efs-volume", "Volume becomes an EFS file system",
         "{what} ({detail}) becomes EFS file system {file_system}",
         "EFS grows with its data and every task mounts it at once (ReadWriteMany); the storage class and size are not kept. "
         "Mount targets are created in each of the first six task subnets: give one subnet per Availability Zone. "
         "Copy existing data in with AWS DataSync before cutting over; the file system is kept when the stack is deleted. "
         "In the task-definition JSON, ${{{file_system}}} stands for the stack output of that name."),
    Code("K2E469", I, "access-point", "EFS access point for the pod's user",
         "EFS access point {access_point} (root directory {path}) {detail}",
         "{remediation}"),
    Code("K2E470", E, "daemonset-on-fargate", "DaemonSet that Fargate cannot run",
         "DaemonSet {name} was not translated: Fargate has no container instances to run one task on each",
         "Run its containers as a sidecar in the tasks that need the agent, or set launch_type: EC2 in kube2ecs.yaml "
         "to get an ECS service with the DAEMON scheduling strategy."),
    Code("K2E471", I, "daemon-service", "DaemonSet becomes a DAEMON service",
         "DaemonSet {name} becomes a DAEMON service: one task on every container instance of the cluster",
         "Tasks use awsvpc networking, so applications cannot reach the agent at the node's IP or a hostPort; "
         "agents that serve the other tasks of an instance belong in those tasks as sidecars."),
    Code("K2E472", W, "service-selects-daemon", "Service that selects a DaemonSet",
         "Service {name} selects DaemonSet {workload}; a DAEMON service gets no Service Connect endpoint",
         "Point callers at the agent another way (a sidecar in each task, or a load balancer), or run the DaemonSet's pods as a Deployment."),
    Code("K2E473", I, "task-volume-copy", "ConfigMap or Secret volume written by a helper container", (
        "{kind} volume {volume} ({source}) becomes files that the non-essential container {writer} writes into a task "
        "volume before the app containers start"),
         "{remediation}"),
    Code("K2E474", E, "volume-source-missing", "Volume source missing from the input",
         "volume {volume} uses {kind} {source}, which is not in the input; the volume was left out",
         "Add the {kind} to the input (or mark the volume optional); the containers that mount it get no files."),
    Code("K2E475", E, "sub-path", "Volume subPath that ECS cannot mount", (
        "volumeMount {volume} of container {container} uses subPath {sub_path}, which ECS cannot mount for the {kind} "
        "volume at {path}: {result}"),
         "ECS mounts whole volumes: mount the volume at a directory of its own and point the application at the file, or build the file into the image."),
    Code("K2E476", W, "mount-propagation", "Mount propagation that ECS cannot set",
         "volumeMount {volume} of container {container} uses mountPropagation {mode}, which ECS has no setting for",
         "Nothing equivalent on ECS: mounts made inside the container stay private to it."),
    Code("K2E477", W, "volume-owner", "Non-root container writing to a root-owned volume", (
        "container {container} runs as user {user} and writes to emptyDir {volume}; Fargate creates task volumes "
        "owned by root with mode 0755"),
         "Create {path} in the image owned by that user: Fargate initialises the volume from the image directory, with its owner."),
    Code("K2E478", I, "ephemeral-storage", "Ephemeral storage size chosen",
         "ephemeral storage of {size} GiB for {basis}",
         "Fargate gives every task 20 GiB (images and writable layers included) unless the task definition asks for 21-200 GiB."),
    Code("K2E479", W, "ephemeral-storage-too-big", "More ephemeral storage than Fargate gives",
         "the task needs {need} GiB of ephemeral storage ({basis}), more than Fargate's 200 GiB",
         "Move bulk data to a PersistentVolumeClaim (EFS); the task got 200 GiB."),
    Code("K2E480", W, "needs-ec2", "Setting that needs the EC2 launch type",
         "{what} needs the EC2 launch type and was left out on {launch}",
         "{remediation} Or set launch_type: EC2 in kube2ecs.yaml to translate it."),
    Code("K2E481", W, "ec2-cluster", "EC2 container instances to provide", (
        "launch_type EC2: the ECS services of stack {stack} run on container instances of cluster {cluster}, "
        "which kube2ecs does not create"),
         "Register an Auto Scaling group of ECS-optimised instances with the cluster (or name its capacity provider in capacity_providers). "
         "Tasks use awsvpc networking: size instances for their network-interface limit or enable ENI trunking. "
         "EFS volumes need amazon-efs-utils on the instances (the ECS-optimised AMI has it)."),
    Code("K2E482", I, "placement", "Placement on container instances",
         "{name} is placed on container instances matching {expression}",
         (
        "Built-in attributes (ecs.*) need nothing; register the others on the container instances "
        "(ECS_INSTANCE_ATTRIBUTES in /etc/ecs/ecs.config): {attributes}.")),
    Code("K2E483", W, "placement-not-mapped", "Placement rule that ECS cannot express",
         "{what} of {name} cannot be a placement constraint: {detail}",
         "Express the rule as an ECS cluster query (memberOf) by hand, or drop it."),
    Code("K2E484", I, "host-volume", "Host path volume on the container instance",
         "volume {volume} mounts {path} of the container instance{detail}",
         "The path is created empty on instances that lack it; Kubernetes' hostPath type check ({type}) is not made."),
    Code("K2E485", I, "privileged", "Privileged container on a container instance",
         "container {container} runs privileged on the container instance",
         "A privileged container has root on the instance; run such services on instances of their own."),
    Code("K2E486", I, "one-per-node", "One task per container instance",
         "required pod anti-affinity of {name} on kubernetes.io/hostname {result}",
         "Nothing to do."),
    Code("K2E487", I, "ec2-ephemeral-storage", "Ephemeral storage left to the container instances",
         "the task asks for {need} GiB of ephemeral storage, which is no task setting on EC2",
         "Give the container instances enough Docker storage (the size of their data volume)."),
    Code("K2E488", E, "files-left-out", "ConfigMap and Secret volumes left out",
         "the configMap and secret volumes of {name} were left out: {detail}",
         "{remediation}"),
    Code("K2E489", W, "cluster-storage", "Cluster storage object that does not move",
         "{kind} {name} ({detail}) describes cluster storage, which does not move to ECS",
         "{remediation}"),
    # --- end of K2E460-K2E499 ---
    # --- assessment lint (K2E500-K2E549) ----------------------------------------------------
    Code("K2E500", I, "image-not-pinned", "Image not pinned to a version",
         "image {image!r} of container {container} {detail}",
         "Pin a version tag or a digest: every ECS task pulls its image when it starts, so a moving tag can run "
         "different code in tasks of the same service."),
    Code("K2E501", I, "no-readiness-probe", "Container without a readiness probe",
         "container {container} has no readinessProbe",
         "Add one: behind a load balancer it becomes the target group health check; without it a new task "
         "receives traffic as soon as it starts."),
    Code("K2E502", I, "no-liveness-probe", "Container without a liveness probe",
         "container {container} has no livenessProbe",
         "Add one: it becomes the container health check; without it ECS replaces a task only when its process exits."),
    Code("K2E503", I, "missing-request", "Container missing a CPU or memory request",
         "container {container} requests {present} but no {missing}",
         "Set resources.requests.{missing}: the Fargate task size assumes a default for it, which may be too small or pay for too much."),
    Code("K2E504", I, "no-graceful-shutdown", "No graceful shutdown configured",
         "{kind} {name} has no preStop hook and keeps the default 30 s grace period",
         "Make the application finish in-flight work on SIGTERM: ECS sends it after draining the load balancer "
         "and stops the task after stopTimeout (from terminationGracePeriodSeconds, at most 120 s on Fargate)."),
    Code("K2E505", I, "privileged-container", "Container that runs privileged",
         "container {container} runs privileged",
         "Fargate cannot run privileged containers: add only the Linux capabilities the container needs, or use the EC2 launch type."),
    Code("K2E506", I, "wildcard-role", "Role granting wildcard permissions",
         "{kind} {name} grants {what}{bound}",
         "Grant only the verbs and resources the application uses; write the ECS task role's IAM policy from "
         "what the application calls, not by copying a wildcard."),
    Code("K2E507", I, "cluster-admin-binding", "Binding to cluster-admin",
         "{kind} {name} binds {subjects} to ClusterRole {role}",
         "Bind a role limited to what the application uses; on ECS its task role should get least-privilege IAM permissions."),
    # --- end of K2E500-K2E549 ---
    # --- event-driven scaling (KEDA, request rates) (K2E740-K2E759) ---------------------------
    Code("K2E740", I, "keda-scaled", "KEDA ScaledObject becomes ECS service scaling", (
        "ScaledObject {name} scales ECS service {service} between {min} and {max} tasks "
        "(ScaleOutCooldown {scale_out} s, ScaleInCooldown {scale_in} s); DesiredCount is left out of the template"),
         "Stack updates keep the running count; a first deploy starts 1 task and Application Auto Scaling brings it "
         "between {min} and {max}."),
    Code("K2E741", W, "keda-target-missing", "ScaledObject target not translated",
         "ScaledObject {name} scales {kind} {target}, {detail}; no scaling resources were created",
         "Point scaleTargetRef at a Deployment, StatefulSet or Argo Rollout of the input, or add that workload."),
    Code("K2E742", W, "keda-scale-from-zero", "ScaledObject that lets the service scale to zero tasks", (
        "ScaledObject {name} has minReplicaCount 0: ECS service {service} may scale in to 0 tasks, and with no task "
        "running {metrics} has no data, so target tracking does not scale it out again"),
         "Set minReplicaCount to 1, or add a step-scaling policy on a CloudWatch alarm of the event source "
         "(e.g. the queue's ApproximateNumberOfMessagesVisible > 0) that raises the service from 0 tasks; KEDA's "
         "activation does this on Kubernetes."),
    Code("K2E743", I, "keda-cron", "KEDA cron trigger becomes scheduled actions", (
        "cron trigger of ScaledObject {name} (at least {desired} replicas from {start!r} to {end!r}, {timezone}) "
        "becomes scheduled actions {actions}: MinCapacity {capacity} at the start, {min} at the end"),
         "Application Auto Scaling takes six cron fields with ? in day-of-month or day-of-week and numbers weekdays "
         "1-7 from Sunday; the schedules were converted, not copied. Overlapping cron triggers end each other's "
         "window here, where KEDA takes the highest."),
    Code("K2E744", E, "keda-cron-invalid", "KEDA cron trigger that cannot be converted",
         "cron trigger of ScaledObject {name}: {field} {schedule!r} cannot be converted: {detail}",
         "Fix the schedule (five fields: minute hour day-of-month month day-of-week); the trigger was left out."),
    Code("K2E746", I, "keda-sqs-backlog", "KEDA SQS trigger becomes a backlog-per-task policy", (
        "aws-sqs-queue trigger of ScaledObject {name}: queue {queue} at {length} messages per task becomes target "
        "tracking on ({counted}) / RunningTaskCount"),
         "RunningTaskCount comes from Container Insights, on for {cluster}; Application Auto Scaling reads the "
         "metrics with its service-linked role, so identityOwner and credentials are not needed."),
    Code("K2E747", W, "keda-sqs-unresolved", "KEDA SQS trigger whose queue is not known",
         "aws-sqs-queue trigger of ScaledObject {name}: {detail}; no policy was created",
         "Write the queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>) in queueURL, in the stack's "
         "Region, then convert again."),
    Code("K2E748", W, "keda-trigger-sketch", "KEDA trigger with no CloudWatch metric",
         "{type} trigger of ScaledObject {name} ({target}) has no CloudWatch metric kube2ecs knows; no policy was created",
         "Publish {publish}. {sketch}"),
    Code("K2E749", I, "keda-trigger-authentication", "KEDA trigger authentication not needed on ECS",
         "{kind} {name} gives KEDA scalers credentials ({detail}); nothing reads it on ECS",
         "Nothing to do for scaling: Application Auto Scaling reads CloudWatch with its service-linked role. A "
         "process that publishes a metric for a policy needs these permissions on its own task role."),
    Code("K2E750", W, "keda-scaled-job", "KEDA ScaledJob's start per event not translated",
         "ScaledJob {name} starts a Job per event ({triggers}); ECS has no event-driven job runner",
         "Start one ECS task of its task definition per event with EventBridge Pipes (an SQS or Kinesis source, an ECS "
         "RunTask target), or "
         "run the job as a queue worker service scaled by a ScaledObject-like backlog-per-task policy."),
    Code("K2E780", W, "keda-paused", "Paused ScaledObject whose scaling acts on ECS",
         "ScaledObject {name} is paused ({annotations}): KEDA does not scale its workload, but the ECS scaling made "
         "from it acts from the first deploy",
         "To keep the pause, set the scalable target's SuspendedState (DynamicScalingInSuspended, "
         "DynamicScalingOutSuspended and ScheduledScalingSuspended true) and its MinCapacity and MaxCapacity to the "
         "paused count, or leave the ScaledObject out."),
    Code("K2E751", W, "keda-and-hpa", "ScaledObject and HorizontalPodAutoscaler on one workload",
         "ScaledObject {keda} and HorizontalPodAutoscaler {hpa} both scale {service}; the ScaledObject was "
         "translated and HorizontalPodAutoscaler {hpa} left out",
         "KEDA's admission webhook rejects a ScaledObject whose workload another HPA scales; keep one of the two."),
    Code("K2E752", I, "request-rate-policy", "Request-rate metric becomes ALBRequestCountPerTarget", (
        "{type} metric {metric} of HorizontalPodAutoscaler {name}: {target} requests per second per task ({detail}) "
        "becomes ALBRequestCountPerTarget {value} requests per target per minute on target group {group}"),
         "ALBRequestCountPerTarget counts a target's requests per minute, so the per-second target was multiplied by "
         "60; check the value under load."),
    Code("K2E753", W, "request-rate-without-alb", "Request-rate metric with no ALB to measure it",
         "{type} metric {metric} of {source} {name}: {reason}; no policy was created",
         "{remediation}"),
    # --- end of K2E740-K2E759 ---
    # --- sizing and capacity from VPA, Karpenter (K2E790-K2E819) ---------------------------
    Code("K2E790", I, "vpa-recommendation", "Task sized from a VerticalPodAutoscaler recommendation", (
        "VerticalPodAutoscaler {name} sizes {workload} from its recommendation: task {cpu} CPU units / {memory} MiB "
        "instead of {base_cpu} / {base_memory} MiB from the requests, {cost}; {containers}"),
         "A task's size is fixed per task-definition revision: when the recommendation moves, convert again with "
         "kube2ecs convert --from-cluster and deploy the new revision, or change the size by hand."),
    Code("K2E791", W, "vpa-no-recommendation", "VerticalPodAutoscaler without a recommendation",
         "VerticalPodAutoscaler {name} carries no status.recommendation: the task of {workload} is sized from its requests",
         "Convert from the cluster where the VPA recommender runs (kube2ecs convert --from-cluster --namespace {namespace}), "
         "or export the object with its status (kubectl get vpa {name} -n {namespace} -o yaml), to size the task "
         "from the recommendation."),
    Code("K2E792", W, "vpa-update-mode", "VerticalPodAutoscaler update mode ECS does not follow",
         "updateMode {mode} of VerticalPodAutoscaler {name}: {what}",
         "Convert again with kube2ecs convert --from-cluster when the recommendation moves and deploy the new "
         "task-definition revision, or resize by hand; AWS Compute Optimizer recommends task sizes for Fargate services."),
    Code("K2E793", W, "vpa-target-not-sized", "VerticalPodAutoscaler target kube2ecs does not size",
         "VerticalPodAutoscaler {name} targets {target}; only Deployments, StatefulSets, DaemonSets and Rollouts "
         "are sized from a recommendation",
         "Set the task size of that workload by hand from the recommendation (kubectl describe vpa {name})."),
    Code("K2E794", W, "vpa-target-missing", "VerticalPodAutoscaler target not translated",
         "VerticalPodAutoscaler {name} targets {target}, but {why}; nothing is sized from it",
         "Add the workload to the input, or remove the VerticalPodAutoscaler."),
    Code("K2E795", W, "vpa-duplicate", "Second VerticalPodAutoscaler for one workload",
         "VerticalPodAutoscaler {name} targets {workload} as {first} does; only {first} sizes the task",
         "Keep one VerticalPodAutoscaler per workload; the VPA controller also refuses to follow two."),
    Code("K2E800", I, "nodepool-spot", "Karpenter spot capacity becomes a Fargate Spot strategy", (
        "{workload} runs on NodePool {pools}, which allows {types}: its ECS service gets the capacity provider "
        "strategy {strategy} ({why})"),
         "Set spot_weight in kube2ecs.yaml to change FARGATE_SPOT's share, or capacity_providers to choose every "
         "service's strategy; a Fargate Spot task gets a two-minute warning before it stops."),
    Code("K2E801", I, "nodepool-arm64", "NodePool of arm64 nodes becomes the ARM64 runtime platform",
         "{workload} runs on NodePool {pools}, which launches only arm64 nodes: its task definition asks for "
         "RuntimePlatform CpuArchitecture ARM64",
         "Check that every image has an arm64 variant (K2E802); name kubernetes.io/arch in the pod's nodeSelector "
         "to choose the architecture yourself."),
    Code("K2E802", W, "arm64-images", "Images that must run on ARM64",
         "{workload} runs on ARM64: images {images} must be multi-architecture or arm64 images",
         "Check that each image lists linux/arm64 (docker manifest inspect IMAGE); an amd64-only image stops "
         "with 'exec format error'."),
    Code("K2E803", I, "nodepool-not-applicable", "NodePool setting with no meaning on Fargate",
         "NodePool {name} {what}: they {meaning}, and Fargate has no nodes",
         "{remediation}"),
    Code("K2E804", I, "nodepool-disruption", "NodePool disruption that Fargate does not need",
         "NodePool {name} sets {what}: Fargate has no nodes to consolidate, expire or drain",
         "Nothing to do: every task runs on capacity of its own; when AWS retires a task for platform patching "
         "(with notice), the ECS service replaces it."),
    Code("K2E805", I, "nodeclass", "Karpenter node class that Fargate does not need",
         "{kind} {name} configures EC2 nodes ({detail}); {why}",
         "Nothing to do: the stacks' Subnets parameter and the services' security group stand for its subnet and "
         "security-group selectors, each workload's task role for the node role's AWS permissions."),
    Code("K2E806", W, "nodepool-spot-arm64", "Fargate Spot runs no ARM64 task",
         "{workload} runs on ARM64, and NodePool {pools} allows spot, but Fargate Spot runs only X86_64 tasks: "
         "the ECS service stays on FARGATE",
         "Keep ARM64 on FARGATE, or drop the arm64 requirement to run on Fargate Spot as X86_64 "
         "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html)."),
    Code("K2E807", I, "nodepool-unused", "NodePool no workload runs on",
         "NodePool {name} applies to no workload of the input: {why}",
         "Nothing to do; a workload runs on a pool when its nodeSelector or required node affinity selects the "
         "pool's labels, or when the pool is the only one and has no taints."),
    Code("K2E808", I, "nodepool-spot-overridden", "NodePool spot capacity left to the options",
         "{workload} runs on NodePool {pools}, which allows {types}; {option} in kube2ecs.yaml decides its capacity",
         "Nothing to do if the option says what you want; without it, spot capacity becomes a FARGATE_SPOT weight."),
    Code("K2E809", I, "cluster-autoscaler", "Cluster Autoscaler not translated",
         "{kind} {name} runs the Cluster Autoscaler ({image}) and is not translated: Fargate provides capacity per task",
         "Nothing to do on Fargate; on EC2, let capacity provider managed scaling grow the Auto Scaling group."),
    # --- end of K2E790-K2E819 ---
    # --- Istio: VirtualService, DestinationRule, Gateway, PeerAuthentication (K2E830-K2E859) ---
    Code("K2E830", W, "istio-kind-not-translated", "Istio object with no ECS resource",
         "{kind} {name} {what}; ECS has no such object, so it was not translated",
         "{remediation}"),
    Code("K2E831", W, "mesh-route-feature", "VirtualService route setting that ECS does not carry",
         "VirtualService {name} http route {route}: {feature}{detail} is not carried: {why}",
         "{remediation}"),
    Code("K2E832", W, "mesh-weights-lost", "VirtualService weights between calls of the mesh",
         "VirtualService {name} http route {route} splits calls to {host} ({split}); Service Connect sends the "
         "calls of the mesh to the ECS service that publishes the name, so the split is lost",
         "Bind the VirtualService to an Istio Gateway so that the ALB splits the traffic (weighted target groups), "
         "or roll the new version out with an ECS canary deployment (deployment_strategy: CANARY), or give each "
         "version its own Service and let the callers choose."),
    Code("K2E833", I, "mesh-timeout", "VirtualService timeout becomes the Service Connect per-request timeout",
         "VirtualService {name} timeout {timeout} on {host} becomes the Service Connect per-request timeout of "
         "{service} ({seconds} s, appProtocol http on port {port})",
         "Nothing to do: the Service Connect proxy of each caller ends a request after {seconds} s, as the sidecar "
         "did."),
    Code("K2E834", W, "mesh-timeout-not-carried", "VirtualService timeout that Service Connect cannot carry",
         "VirtualService {name} timeout {timeout} on {host} is not carried: {why}",
         "{remediation}"),
    Code("K2E835", W, "mesh-host-unknown", "VirtualService host that is no Service of the input",
         "VirtualService {name} {where} {host}, which is no Service of the input: {detail}",
         "Add the Service to the input, or point the VirtualService at one; nothing was made for this host."),
    Code("K2E836", W, "mesh-subset-unknown", "VirtualService subset that selects no workload",
         "VirtualService {name} http route {route} sends to subset {subset} of {host}: {detail}",
         "Define the subset in a DestinationRule of the host, with the pod labels of one of the host's workloads; "
         "the destination was left out."),
    Code("K2E837", W, "mesh-mtls-needs-ca", "Mutual TLS without a Private CA for Service Connect TLS",
         "{kind} {name} requires mutual TLS ({mode}); the Service Connect calls of namespace {namespace} are "
         "plaintext inside the VPC",
         "Set service_connect_tls_ca in kube2ecs.yaml to the ARN of an AWS Private CA (short-lived certificate mode) "
         "to turn on Service Connect TLS; the stack then makes the ECS infrastructure role it needs."),
    Code("K2E838", I, "mesh-mtls-service-connect-tls", "Mutual TLS becomes Service Connect TLS",
         "{kind} {name} requires mutual TLS ({mode}): the Service Connect endpoints of namespace {namespace} use TLS "
         "with the AWS Private CA {ca} (option service_connect_tls_ca) and role {role}",
         "Nothing to do: the Service Connect proxies encrypt every call between the services with certificates "
         "of the Private CA. Callers that are not ECS services of the namespace (no Service Connect proxy) can no "
         "longer call the endpoints in plaintext, as with STRICT."),
    Code("K2E839", W, "mesh-traffic-policy", "DestinationRule traffic policy that ECS does not carry",
         "DestinationRule {name} {setting}{detail} is not carried: {why}",
         "{remediation}"),
    Code("K2E840", W, "mesh-route-kind", "VirtualService route kind that ECS does not carry",
         "VirtualService {name} {field}{detail} is not carried: {why}",
         "{remediation}"),
    Code("K2E841", W, "mesh-gateway-server", "Istio Gateway server that the ALB does not carry",
         "Gateway {name} server {server} ({protocol} {port}) is not carried: {detail}",
         "{remediation}"),
    Code("K2E842", W, "mesh-gateway-unbound", "Istio Gateway or binding that makes no load balancer",
         "{kind} {name} {detail}",
         "{remediation}"),
    Code("K2E843", I, "mesh-permissive", "Mutual TLS that Service Connect does not need to enforce",
         "PeerAuthentication {name} mode {mode}: {detail}",
         "Nothing to do."),
    Code("K2E844", W, "mesh-tls-behind-load-balancer", "Service Connect TLS on a load-balancer target",
         "ECS service {service} uses Service Connect TLS on port mapping {port} and is a target of {groups}: its Service "
         "Connect proxy takes the load balancer's requests on that port too, and expects TLS",
         "Make the target group HTTPS with a health check that speaks TLS 1.3, as the ECS guide says for Service "
         "Connect TLS behind an Application Load Balancer "
         "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-tls.html), or leave "
         "service_connect_tls_ca unset for this namespace; check the targets' health after the deploy."),
    Code("K2E845", I, "mesh-weights-on-alb", "VirtualService weights carried by an Ingress's load balancer",
         "VirtualService {name} splits {split}: the {kind} {router} rules of {lb} forward over one target group per "
         "subset with these weights",
         "Nothing to do for requests through the load balancer; calls inside between ECS services go through "
         "Service Connect, which does not split them (K2E832)."),
    Code("K2E846", W, "aws-controller-kind-not-translated", "AWS Gateway API controller object with no ECS translation",
         "{kind} {name} {what}; kube2ecs does not build it, so it was not translated",
         "{remediation}"),
    Code("K2E847", I, "lattice-auth-policy", "IAMAuthPolicy becomes a VPC Lattice auth policy",
         "IAMAuthPolicy {name} on {target} becomes {resources}, with AuthType AWS_IAM there: only requests its "
         "statements allow get through",
         "Callers must sign their requests with SigV4 (service vpc-lattice-svcs), as they did on EKS, and their ECS "
         "task roles need the permissions the policy's principals name (vpc-lattice-svcs:Invoke)."),
    Code("K2E848", I, "lattice-access-log", "AccessLogPolicy becomes a VPC Lattice access log subscription",
         "AccessLogPolicy {name} on {target} becomes {resources}, which sends the access logs to {destination}",
         "The destination must exist before the deploy, and the deploying identity needs logs:CreateLogDelivery and "
         "the vpc-lattice:*AccessLogSubscription permissions; an S3 bucket's policy must let log delivery write."),
    Code("K2E849", W, "lattice-policy-not-applied", "IAMAuthPolicy or AccessLogPolicy that was not applied",
         "{kind} {name} targets {target} and was not applied: {detail}",
         "{remediation}"),
    # --- end of K2E830-K2E859 ---
    # --- ECS Managed Instances: NodePools, managed daemons (K2E870-K2E899) ----------------------
    Code("K2E870", I, "nodepool-managed-instances", "NodePool becomes a Managed Instances capacity provider",
         "NodePool {name} becomes the Managed Instances capacity provider {providers} with instance requirements {requirements}",
         "Check the requirements against the instance types the pool launched; ECS chooses among the matching types "
         "by price and fit, as Karpenter does."),
    Code("K2E871", I, "managed-instances-default", "Default Managed Instances capacity provider",
         "launch_type MANAGED_INSTANCES: the workloads of stack {stack} that run on no NodePool use the capacity "
         "provider {provider} with instance requirements {requirements}",
         "Narrow its InstanceRequirements (AllowedInstanceTypes, CpuManufacturers) if the tasks need particular instances."),
    Code("K2E872", I, "managed-instances-strategy", "Service on Managed Instances capacity providers",
         "{workload} runs on Managed Instances with the capacity provider strategy {strategy}",
         "Nothing to do; a spot provider's instances get a two-minute interruption notice, and ECS drains their tasks."),
    Code("K2E873", W, "nodepool-requirement-inexact", "NodePool requirement with no instance requirement",
         "NodePool {name}: {what}: not expressed in the Managed Instances instance requirements",
         "Express the requirement by hand in the provider's InstanceRequirements if it matters (zones follow the "
         "Subnets parameter), or drop it."),
    Code("K2E874", W, "nodepool-limits-managed", "NodePool limits that a capacity provider cannot cap",
         "NodePool {name} limits {limits}: a Managed Instances capacity provider has no cap on what its instances add up to",
         "Cap the services instead (desired count, the autoscaler's maximum), and watch the account's EC2 vCPU quotas."),
    Code("K2E875", I, "nodepool-disruption-managed", "NodePool disruption left to Managed Instances",
         "NodePool {name} sets {what}: Managed Instances retires idle and underused instances itself and replaces "
         "each one within its maximum lifetime",
         "Nothing to do; InfrastructureOptimization ScaleInAfter of the provider sets how long an idle instance stays "
         "(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedInstancesProvider.html)."),
    Code("K2E876", I, "managed-daemon", "DaemonSet becomes an ECS managed daemon",
         "DaemonSet {name} becomes an ECS managed daemon: one task on every instance of the capacity providers {providers}",
         "ECS starts the daemon before other tasks on each instance and, as the daemon is critical by default, "
         "replaces an instance whose daemon stops "
         "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons.html)."),
    Code("K2E877", W, "daemon-ports", "Container ports of a managed daemon",
         "container {container} of DaemonSet {name} declares ports {ports}, which a daemon task definition cannot map",
         "Check how the other tasks reach the agent: a daemon task definition has no port mappings or network mode."),
    Code("K2E878", E, "daemon-volumes", "Volumes a managed daemon cannot mount",
         "the EFS volumes {volumes} of DaemonSet {name} were left out: a daemon task definition mounts host paths "
         "and task storage only",
         "Mount the file system on the instances another way, or run the agent as a sidecar of the tasks that need it."),
    Code("K2E879", W, "managed-instances-configured-cluster", "Capacity providers to associate with a cluster by hand",
         "the Managed Instances capacity providers {providers} of the stack are not associated with cluster {cluster}, "
         "which the stack does not create",
         "Add them to the cluster's capacity providers, keeping the ones it has (aws ecs describe-clusters --clusters "
         "{cluster}; aws ecs put-cluster-capacity-providers --cluster {cluster} --capacity-providers <existing> <these> "
         "--default-capacity-provider-strategy capacityProvider=<{default}>,weight=1): PutClusterCapacityProviders "
         "replaces the whole list, so kube2ecs does not call it on a cluster it did not make."),
    Code("K2E880", I, "daemon-rollout", "DaemonSet rollout as a managed daemon's drain share",
         "DaemonSet {name} rolls out with {detail}: {result}",
         "Set DeploymentConfiguration DrainPercent of the daemon if the share of instances that may lose the agent at "
         "once matters; ECS drains an instance's tasks before it replaces its daemon task."),
    Code("K2E881", I, "gpu-managed-instances", "GPUs as a container's resource requirement",
         "container {container} gets {count} NVIDIA GPUs (ResourceRequirements GPU): its task runs on capacity "
         "providers whose instances have NVIDIA GPUs, at least the task's {total}",
         "Nothing to do; narrow the providers' AcceleratorNames (t4, a10g, l4, h100, ...) if the application needs a "
         "particular GPU, as a NodePool's instance-gpu-name did."),
    Code("K2E882", W, "neuron-managed-instances", "Neuron devices as every device of the instance",
         "container {container} asks for {amount} {device}: ECS gives it every Neuron device of its instance "
         "(ResourceRequirements NeuronDevice ALL), on capacity providers whose instances have AWS accelerators",
         "Choose instance types with the number of devices the container needs (the providers' AllowedInstanceTypes, "
         "e.g. inf2.xlarge or trn1.2xlarge): ECS takes no count of Neuron devices, only ALL "
         "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-inference-task-def.html)."),
    Code("K2E883", E, "device-not-assigned", "Device a container asks for that ECS cannot assign",
         "{device} {amount} of container {container} was not translated: {why}",
         "Run the workload where the device is (EC2 launch type with instances that have it, exposing it with "
         "LinuxParameters Devices), or drop the need for it."),
    Code("K2E884", E, "nodepool-without-accelerators", "NodePool that allows no instance the pod's devices need",
         "{workload} needs {what}, but NodePool {name} allows no such instances ({why}): its tasks could not be placed",
         "Allow accelerated instances in the NodePool (karpenter.k8s.aws/instance-category g or p for NVIDIA GPUs, inf "
         "or trn for Neuron), or run the workload on a NodePool that has them; Kubernetes leaves such pods Pending too."),
    Code("K2E885", I, "vpa-resource-not-sized", "VerticalPodAutoscaler controlledResources other than cpu and memory",
         "controlledResources {what} of the container policy for {container}: the VerticalPodAutoscaler "
         "recommends and sets only cpu and memory, so {what} keeps the size the manifest gives it, on ECS as in "
         "the cluster",
         "Nothing to do; remove {what} from controlledResources, or size it by hand if it was meant to follow use."),
    Code("K2E886", W, "vpa-policy-no-container", "VerticalPodAutoscaler container policy for a container the pod lacks",
         "the container policy of VerticalPodAutoscaler {name} names container {container}, which {workload} does not "
         "have (it has {containers}): the policy applies to nothing",
         "Correct containerName to one of the pod's containers, or use \"*\" for every container without a policy of "
         "its own; the task is sized as if the policy were absent."),
    # --- cluster input, diff, drift check (K2E600-K2E649) -----------------------------------
    Code("K2E600", W, "cluster-list-failed", "Cluster objects that could not be listed",
         "cannot list {kind} objects in {scope}: {reason}",
         "Grant list on {api_resource} (kubectl auth can-i list {api_resource}) or convert exported manifests; "
         "{kind} objects are missing from this translation."),
    Code("K2E601", I, "namespace-not-read", "System namespace not read",
         "namespace {namespace} was not read: it holds the cluster's own components",
         "Read it with --namespace {namespace} if it runs applications to migrate."),
    Code("K2E602", I, "cluster-object-not-read", "Cluster-managed objects not read",
         "{count} {kind} object(s) in namespace {namespace} were not read: {reason}",
         "Nothing to do: {why}."),
    # --- end of K2E600-K2E649 ---
    # --- progressive delivery behind load balancers (K2E700-K2E719) ---------------------------
    Code("K2E700", I, "delivery-analysis-alarm", "Analysis metric becomes a CloudWatch alarm that rolls back",
         "{name}: {metric} becomes CloudWatch alarm {alarm} ({operator} {threshold} for {periods} period(s)), which "
         "fails the ECS deployment and rolls it back",
         "Nothing to do; the alarm watches the metric for the whole deployment, not only at the analysis steps."),
    Code("K2E701", W, "delivery-analysis-provider", "Analysis metric with no CloudWatch equivalent",
         "{name}: {metric} reads {provider} ({query}), which ECS cannot alarm on",
         "Publish the metric to CloudWatch or alarm on the nearest one ({sketch}), and list the alarm under the "
         "service's DeploymentConfiguration Alarms."),
    Code("K2E702", W, "delivery-analysis-condition", "Analysis condition not read as an alarm threshold",
         "{name}: {metric} has condition {condition!r} or no metric, where kube2ecs reads a threshold only from "
         "result[0] < x (or all(result[0].Values, {{# < x}}))",
         "Create the alarm on the template's metric math with the threshold the condition means, and list it under "
         "the service's DeploymentConfiguration Alarms."),
    # --- end of K2E700-K2E719 ---
    # --- log routing (FireLens) (K2E720-K2E739) ---------------------------------------------
    Code("K2E720", I, "firelens-router", "Logs routed by a FireLens log router",
         "{family}: the logs of {containers} go through a FireLens log router ({image}) to {destination}; "
         "the router's own logs go to log group {group} with awslogs",
         "{first}: a task role the stack creates is granted {actions} on {arn}; another role needs them "
         "granted (K2E721)."),
    Code("K2E721", W, "firelens-role", "FireLens needs permissions on a role kube2ecs does not create",
         "FireLens routes the logs of {workload} to {destination}, but its task role {role} is not created by the "
         "stack: without {actions} on {arn} the router cannot deliver them",
         "Grant that role {actions} on {arn}."),
    Code("K2E722", W, "firelens-no-room", "No room for the FireLens log router in the task",
         "{workload} has {count} containers, the most a task definition holds ({limit}): no FireLens log router was "
         "added, and its containers log to CloudWatch Logs with awslogs",
         "Merge containers to make room for the router, or forward this log group to the destination with a "
         "CloudWatch Logs subscription filter."),
    Code("K2E723", W, "log-agent-daemonset", "Log agent DaemonSet that a FireLens router can replace",
         "DaemonSet {name} runs {agent} on every node to ship the pods' logs; ECS tasks send their logs through a "
         "log driver instead: add to kube2ecs.yaml {lines}",
         "With log_router: firelens every task gets a Fluent Bit log router (FireLens) and this DaemonSet is not "
         "translated; without it, every container logs to CloudWatch Logs with awslogs."),
    Code("K2E724", I, "log-agent-replaced", "Log agent DaemonSet replaced by the FireLens routers",
         "DaemonSet {name} ({agent}) is replaced by the FireLens log router in each task, which sends the logs to "
         "{destination}: it is not translated as a daemon",
         "Nothing to do: each task ships its own containers' logs; the DaemonSet's node-level inputs (host files, "
         "systemd) have no equivalent on Fargate."),
    Code("K2E725", W, "log-agent-outputs", "Log agent outputs that the FireLens destination does not cover",
         "ConfigMap {configmap} of DaemonSet {name} sends logs to {outputs}, which log_destination {destination} "
         "does not cover",
         "{advice}."),
    # --- end of K2E720-K2E739 ---
    # --- Gateway API (K2E760-K2E789) --------------------------------------------------------
    Code("K2E760", I, "gateway-load-balancer", "Gateway served by a load balancer",
         "Gateway {name} is served by {lb_type} {lb} ({scheme}) on {listeners}",
         "Supply the load-balancer subnets parameter; point the DNS names of the route hostnames at the load balancer."),
    Code("K2E761", I, "gateway-other-controller", "Gateway of another controller becomes a load balancer",
         "Gateway {name} of class {gateway_class} ({controller}) becomes an Elastic Load Balancer",
         "The load balancer takes the place of the gateway controller; behaviour specific to that controller "
         "(its policies, parameters and infrastructure settings) is not carried."),
    Code("K2E762", E, "gateway-listener-not-carried", "Gateway listener that a load balancer cannot serve",
         "Gateway {name} listener {listener} ({protocol} {port}) is not carried: {detail}",
         "{remediation}"),
    Code("K2E763", W, "gateway-tls-certificate", "Gateway certificate Secret becomes a certificate parameter",
         "Gateway {name} listener {listener} certificate Secret {secret} becomes the certificate stack parameter {parameter}",
         "Import the certificate into ACM (aws acm import-certificate --certificate fileb://tls.crt "
         "--private-key fileb://tls.key) and pass its ARN as {parameter}."),
    Code("K2E764", W, "route-gateway-missing", "Route whose Gateway is not in the input",
         "{kind} {name} attaches to Gateway {gateway}, which is not in the input",
         "Convert the Gateway together with its routes; nothing was created for this attachment."),
    Code("K2E765", W, "route-mesh-parent", "Route attached to a Service for mesh routing",
         "{kind} {name} attaches to Service {service} (mesh routing), which no load balancer serves",
         "Service Connect sends every call for {service} to its own ECS service, with no weights or matches; "
         "to split traffic, put the backends behind an internal ALB with weighted target groups and call it "
         "instead. The route was not translated."),
    Code("K2E766", I, "route-not-attached", "Route that a Gateway listener does not admit",
         "{kind} {name} is not attached to Gateway {gateway}: {detail}",
         "Nothing to do if that is intended: the Gateway refuses the route on Kubernetes as well."),
    Code("K2E767", I, "route-reference-not-permitted", "Reference to another namespace without a ReferenceGrant",
         "{kind} {name} refers to {target} in namespace {namespace}, which no ReferenceGrant permits",
         "Add a ReferenceGrant in namespace {namespace} from {kind} in {source} if the reference is meant; "
         "Kubernetes refuses it as well (RefNotPermitted), so it was left out."),
    Code("K2E768", E, "route-backend-other-stack", "Route backend in another namespace's stack",
         "{kind} {name} routes to Service {service} of namespace {namespace}, whose ECS service is in another "
         "stack than Gateway {gateway}",
         "Register that ECS service in a target group of {lb} by hand (a target group in stack {gateway_namespace} "
         "and the service's LoadBalancers), or move the Service into namespace {gateway_namespace}; the backend was left out."),
    Code("K2E769", W, "route-backend-unresolved", "Route backend that reaches no translated workload",
         "{kind} {name} backend {backend}: {detail}",
         "Point the backendRef at a Service (with a port) that selects a workload in the input; the backend was left out."),
    Code("K2E770", E, "route-match-not-expressible", "Route match that an ALB condition cannot express",
         "{kind} {name} rule {rule} match {match} cannot be an ALB rule: {detail}",
         "{remediation}"),
    Code("K2E771", W, "route-filter-not-carried", "Route filter that the load balancer does not apply",
         "{kind} {name} rule {rule} filter {filter}{detail} is not applied by the load balancer",
         "{remediation}"),
    Code("K2E772", I, "route-weights-scaled", "Route weights scaled to the ALB range",
         "{kind} {name} rule {rule} weights {weights} become ALB target-group weights {scaled}",
         "Nothing to do: an ALB weight is 0-999 and the shares stay as close as whole numbers allow."),
    Code("K2E773", E, "route-backends-over-limit", "Route backends beyond what one load-balancer action holds",
         "{kind} {name} rule {rule} has {count} backends; {detail}",
         "Split the traffic over fewer backends; the others were left out and get no requests."),
    Code("K2E774", I, "route-match-shadowed", "Route match that an earlier rule already takes",
         "{kind} {name} rule {rule} match {match} matches the same requests as {first}, which takes precedence",
         "Nothing to do: the Gateway API gives the requests to {first} on Kubernetes as well; the match was left out."),
    Code("K2E775", I, "route-listener-rules", "Route becomes load-balancer listener rules",
         "{kind} {name} becomes {rules} on {lb} listener {listeners}",
         "Nothing to do; {order}."),
    Code("K2E776", W, "gateway-nothing-routed", "Gateway that routes nothing",
         "Gateway {name} routes nothing: {detail}, so no load balancer was created",
         "Attach routes whose backends are Services of workloads in the input."),
    # --- end of K2E760-K2E789 ---
    # --- Gateway API to VPC Lattice, gateway_target vpc-lattice (K2E810-K2E829) ------------------
    Code("K2E810", I, "gateway-vpc-lattice", "Gateway becomes a VPC Lattice service network",
         "Gateway {name} becomes VPC Lattice service network {network}, associated with the stack's VPC; its routes "
         "become the services {services}",
         "Supply the VpcLatticePrefixListId parameter: the id of prefix list com.amazonaws.<region>.vpc-lattice "
         "(aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.<region>.vpc-lattice). "
         "Clients in the VPC call each service by its Lattice DNS name or custom domain name."),
    Code("K2E811", I, "route-vpc-lattice-service", "Route becomes a VPC Lattice service",
         "{kind} {name} becomes VPC Lattice service {service} with {rules} on listener {listeners}",
         "Nothing to do; rules follow Gateway API precedence, and a PathPrefix matches as a string prefix "
         "(/v1 also matches /v10), as with the AWS Gateway API controller."),
    Code("K2E812", E, "route-match-not-lattice", "Route match that a VPC Lattice rule cannot express",
         "{kind} {name} rule {rule} match {match} cannot be a VPC Lattice rule: {detail}",
         "{remediation}"),
    Code("K2E813", W, "route-filter-not-lattice", "Route filter that VPC Lattice does not apply",
         "{kind} {name} rule {rule} filter {filter} is not applied by VPC Lattice",
         "{remediation} The rule forwards without it."),
    Code("K2E814", E, "route-redirect-not-lattice", "Route redirect that VPC Lattice cannot make",
         "{kind} {name} rule {rule} redirects ({detail}); VPC Lattice rules forward or answer a fixed status, so the "
         "rule was left out",
         "Redirect in the application, or keep this Gateway on an ALB (gateway_target: load-balancer), whose listener "
         "rules redirect; clients get the listener's 404 instead."),
    Code("K2E815", E, "gateway-listener-not-lattice", "Gateway listener that VPC Lattice cannot serve",
         "Gateway {name} listener {listener} ({protocol} {port}) is not carried to VPC Lattice: {detail}",
         "{remediation}"),
    Code("K2E816", E, "lattice-quota", "VPC Lattice resources beyond a default quota",
         "{what} needs {count} {items}; VPC Lattice allows {limit} by default",
         "Request an increase of the VPC Lattice quota '{quota}' (Service Quotas) before deploying; CloudFormation "
         "fails to create the ones beyond it."),
    Code("K2E817", W, "route-hostnames-lattice", "Route hostnames beyond the one custom domain of a service",
         "{kind} {name} has hostnames {hosts}; VPC Lattice service {service} takes one custom domain name: {domain}",
         "Point the other names at the service's DNS name with CNAME records (a Route 53 private hosted zone), or "
         "split the route per hostname."),
    Code("K2E818", W, "lattice-target-group-unchecked", "VPC Lattice target group without a health check",
         "target group {target_group} of Service {service} port {port} has no health check: {detail}",
         "Give the container an ECS health check so that ECS replaces tasks that stop answering; Lattice sends "
         "requests to every registered task."),
    Code("K2E819", E, "route-backend-other-stack-lattice", "Route backend in another stack than its Lattice service",
         "{kind} {name} routes to Service {service} of namespace {namespace}, whose ECS service is in another stack "
         "than Gateway {gateway}",
         "Register that ECS service in a Lattice target group of stack {gateway_namespace} by hand (its "
         "VpcLatticeConfigurations), or move the Service into namespace {gateway_namespace}; the backend was left out."),
    Code("K2E820", I, "gateway-lattice-other-controller", "Gateway of another controller becomes VPC Lattice",
         "Gateway {name} of class {gateway_class} ({controller}) becomes a VPC Lattice service network",
         "VPC Lattice takes the place of the gateway controller (gateway_target: vpc-lattice); behaviour specific "
         "to that controller is not carried."),
    Code("K2E821", I, "route-weights-lattice", "Route weights scaled to the VPC Lattice range",
         "{kind} {name} rule {rule} weights {weights} become VPC Lattice target-group weights {scaled}",
         "Nothing to do: a Lattice weight is 0-999 and the shares stay as close as whole numbers allow."),
    Code("K2E822", E, "route-backends-over-lattice", "Route backends beyond a VPC Lattice forward action",
         "{kind} {name} rule {rule} has {count} backends; a VPC Lattice forward takes at most {limit}: kept {kept}",
         "Split the traffic over fewer backends; the others were left out and get no requests."),
    Code("K2E823", W, "route-domain-shared-lattice", "Route hostname already the domain of another Lattice service",
         "{kind} {name} hostname {domain} is already the custom domain name of VPC Lattice service {first}, and a name "
         "leads to one service",
         "Merge the routes (an HTTPRoute and a GRPCRoute cannot share a Lattice service) or give this one its own "
         "hostname; its service has no custom domain name and answers on its Lattice DNS name."),
    Code("K2E824", E, "route-tls-without-domain-lattice", "TLSRoute without the hostname a Lattice TLS listener needs",
         "{kind} {name} has no hostname for VPC Lattice service {service} to route TLS by (SNI), so no TLS passthrough "
         "listener was made",
         "Give the route one exact hostname (a Lattice TLS listener routes by the service's custom domain name), or "
         "keep the Gateway's TLS listeners on an NLB (gateway_target: load-balancer)."),
    Code("K2E825", E, "route-tls-rule-lattice", "TLSRoute rule a Lattice TLS listener cannot carry",
         "{kind} {name} rule {rule} is not carried to the TLS passthrough listener: {detail}",
         "{remediation}"),
    # --- end of K2E810-K2E829 ---
    # --- the AWS controllers' Gateway API configuration objects (K2E850-K2E858) -----------------
    Code("K2E850", W, "gateway-policy-target-missing", "Target-group policy whose target is no Service of the input",
         "{kind} {name} targets {target}, which was not configured: {detail}",
         "{remediation}"),
    Code("K2E851", W, "gateway-policy-field-not-carried", "Controller setting the generated resource does not carry",
         "{kind} {name}: {field} {value} is not carried to {where}: {detail}",
         "{remediation}"),
    Code("K2E852", I, "gateway-policy-applied", "Controller configuration applied to the generated resources",
         "{kind} {name} set {fields} on {resources}",
         "Nothing to do."),
    Code("K2E853", W, "gateway-policy-unused", "Controller configuration that configures nothing",
         "{kind} {name} configures nothing: {detail}",
         "{remediation}"),
    Code("K2E854", I, "target-type-instance", "Target type instance becomes ip on ECS",
         "{kind} {name} asks for targetType instance; {target_group} are of type ip",
         "Nothing to do: ECS tasks on awsvpc networking register by their own IP address and container port, so "
         "the load balancer reaches the containers directly rather than through node ports."),
    Code("K2E855", W, "gateway-parameters-missing", "Gateway parametersRef that names no LoadBalancerConfiguration",
         "{holder} names {ref} in its parametersRef, which was not applied: {detail}",
         "Add the LoadBalancerConfiguration (gateway.k8s.aws) it names to the input (a Gateway's in the Gateway's "
         "namespace); the load balancer has kube2ecs's settings (scheme from load_balancer_scheme or the controller's "
         "default)."),
    Code("K2E856", W, "listener-configuration-unmatched", "Listener configuration for a listener the Gateway lacks",
         "LoadBalancerConfiguration {name}: listenerConfigurations {protocol_port} names no listener of Gateway "
         "{gateway} (listeners: {listeners})",
         "Write protocolPort as PROTOCOL:PORT of a listener of the Gateway (HTTPS:443); the entry was not applied."),
    Code("K2E857", W, "gateway-policy-invalid-value", "Controller setting with a value AWS rejects",
         "{kind} {name}: {field} {value} was not applied: {detail}",
         "Correct the value; the generated resource keeps kube2ecs's own setting for it."),
    Code("K2E858", W, "gateway-policy-duplicate", "Second policy of a kind for one Service",
         "{kind} {name} targets Service {service}, which {kind} {other} already configures; {name} was not applied",
         "Merge the two into one {kind}: the controller applies one per Service."),
    # --- end of K2E850-K2E858 ---
    Code("K2E860", E, "route-parent-not-built", "Route attached to a parent that is not translated",
         "{kind} {name} attaches to {parent_kind} {parent}, which kube2ecs does not translate: the route is served "
         "nowhere",
         "{remediation}"),
    Code("K2E862", I, "lattice-standalone-service", "VPC Lattice service left out of the service network",
         "{kind} {name}'s VPC Lattice service {service} is standalone (application-networking.k8s.aws/standalone on "
         "{source}): it is not associated with service network {network}",
         "Nothing to do: as the AWS Gateway API controller does, the service joins no service network; share it (AWS "
         "RAM) or associate it where its clients are."),
    Code("K2E863", W, "route-mesh-parent-not-built", "Route attached to a mesh parent that is not translated",
         "{kind} {name} attaches to {parent_kind} {parent}, which kube2ecs does not translate: its matches, weights and "
         "filters are not applied",
         "Calls still go where their callers send them, through Service Connect, without the route's rules; to split or "
         "redirect them, put the backends behind an internal ALB with weighted target groups and call it instead."),
    Code("K2E861", E, "ingress-action-not-built", "Ingress backend whose annotation action cannot be built",
         "Ingress {name} backend {backend}:use-annotation: {detail}; the rule was left out",
         "Correct alb.ingress.kubernetes.io/actions.{backend} (and conditions.{backend}) as the AWS Load Balancer "
         "Controller's annotation reference describes; until then its requests go to the next rule that matches, or "
         "get the 404 of the listener."),
    # --- internal ---------------------------------------------------------------------------
    Code("K2E900", E, "internal-error", "Internal error in kube2ecs",
         "kube2ecs could not translate {kind} {name}: {detail}",
         "This is a bug in kube2ecs; the document was skipped. Please report it with the document."),
    Code("K2E901", E, "check-failed", "Generated output fails a deploy check",
         "generated output fails a deploy check: {detail}",
         "This is a bug in kube2ecs; the resource would not deploy. Please report it with the input."),
]

CATALOGUE: dict[str, Code] = {}
for _code in _CODES:
    if _code.id in CATALOGUE:  # pragma: no cover - guarded by a meta test
        raise ValueError(f"duplicate finding code {_code.id}")
    CATALOGUE[_code.id] = replace(_code, why=WHY.get(_code.id, ""))
