namespace Gatehouse.Core.ControlPlanes;

/// <summary>What kind of control plane this is, spelled on the wire as Konnect spells it.</summary>
public enum ClusterType
{
    ControlPlane,
    K8sIngressController,
    ControlPlaneGroup,
    Serverless,
    KafkaNativeEventProxy,
    ServerlessV1,
}

public enum AuthType
{
    PinnedClientCerts,
    PkiClientCerts,
}

public static class WireNames
{
    private static readonly Dictionary<ClusterType, string> s_clusterTypes = new()
    {
        [ClusterType.ControlPlane] = "CLUSTER_TYPE_CONTROL_PLANE",
        [ClusterType.K8sIngressController] = "CLUSTER_TYPE_K8S_INGRESS_CONTROLLER",
        [ClusterType.ControlPlaneGroup] = "CLUSTER_TYPE_CONTROL_PLANE_GROUP",
        [ClusterType.Serverless] = "CLUSTER_TYPE_SERVERLESS",
        [ClusterType.KafkaNativeEventProxy] = "CLUSTER_TYPE_KAFKA_NATIVE_EVENT_PROXY",
        [ClusterType.ServerlessV1] = "CLUSTER_TYPE_SERVERLESS_V1",
    };

    private static readonly Dictionary<AuthType, string> s_authTypes = new()
    {
        [AuthType.PinnedClientCerts] = "pinned_client_certs",
        [AuthType.PkiClientCerts] = "pki_client_certs",
    };

    public static IReadOnlyList<string> ClusterTypes { get; } = [.. s_clusterTypes.Values];

    public static IReadOnlyList<string> AuthTypes { get; } = [.. s_authTypes.Values];

    public static string ToWire(this ClusterType value) => s_clusterTypes[value];

    public static string ToWire(this AuthType value) => s_authTypes[value];

    public static bool TryParseClusterType(string wire, out ClusterType value) => TryParse(s_clusterTypes, wire, out value);

    public static bool TryParseAuthType(string wire, out AuthType value) => TryParse(s_authTypes, wire, out value);

    private static bool TryParse<T>(Dictionary<T, string> names, string wire, out T value)
        where T : struct
    {
        foreach (var (candidate, name) in names)
        {
            if (string.Equals(name, wire, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
