namespace Gatehouse.Sidecar.ControlPlane;

/// <summary>Why a heartbeat was not taken: the control plane's status and message, or (no status) why there was no answer.</summary>
internal sealed record HeartbeatRefusal(int? Status, string Message)
{
    // A control plane from before analytics reads heartbeats strictly and answers an unknown field in
    // the data plane API's {"message"} dialect, each field as "name: reason" after the summary:
    // "Invalid heartbeat. metrics: property metrics should not exist" (InvalidParameter.UnknownProperty).
    private const string UnknownMetrics = "metrics: property metrics should not exist";

    /// <summary>Whether this is an older control plane refusing the <c>metrics</c> field it does not know.</summary>
    public bool RefusesMetrics => Status == 400 && Message.Contains(UnknownMetrics, StringComparison.Ordinal);

    public override string ToString() => Status is { } status ? $"{status}: {Message}" : Message;
}
