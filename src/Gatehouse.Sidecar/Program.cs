// The sidecar's loop (hub client, config pull, Kong apply, heartbeat) is built in issue #5.
// Until then it says so instead of pretending to run.
Console.Error.WriteLine("gatehouse-sidecar: not functional yet; the data plane sidecar arrives with issue #5.");
return 2;
