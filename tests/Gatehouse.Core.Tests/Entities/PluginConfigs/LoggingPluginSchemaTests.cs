using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>
/// The logging and tracing plugins against their kong/plugins/&lt;name&gt;/schema.lua (3.9.3): tcp-log,
/// udp-log, http-log, syslog, loggly, datadog, statsd, opentelemetry and zipkin. Defaults are copied
/// from the schema files; refusals follow spec/03-plugins/*/..schema_spec.lua where Kong has one.
/// </summary>
public sealed class LoggingPluginSchemaTests
{
    private const string ConsumerId = "6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f";

    /// <summary>kong/tools/queue_schema.lua:7-57.</summary>
    private const string Queue = """{"max_batch_size":1,"max_coalescing_delay":1,"max_entries":10000,"max_bytes":null,"max_retry_time":60,"initial_retry_delay":0.01,"max_retry_delay":60,"concurrency_limit":1}""";

    /// <summary>kong/plugins/opentelemetry/schema.lua:48-52: batches of 200.</summary>
    private const string OpentelemetryQueue = """{"max_batch_size":200,"max_coalescing_delay":1,"max_entries":10000,"max_bytes":null,"max_retry_time":60,"initial_retry_delay":0.01,"max_retry_delay":60,"concurrency_limit":1}""";

    /// <summary>kong/plugins/datadog/schema.lua:28-66.</summary>
    private const string DatadogMetrics = """
        [{"name":"request_count","stat_type":"counter","tags":["app:kong"],"sample_rate":1,"consumer_identifier":"custom_id"},{"name":"latency","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"},{"name":"request_size","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"},{"name":"response_size","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"},{"name":"upstream_latency","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"},{"name":"kong_latency","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"}]
        """;

    /// <summary>kong/plugins/statsd/schema.lua:31-122.</summary>
    private const string StatsdMetrics = """
        [{"name":"request_count","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"latency","stat_type":"timer","sample_rate":null,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"request_size","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"status_count","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"response_size","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"unique_users","stat_type":"set","sample_rate":null,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"request_per_user","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"upstream_latency","stat_type":"timer","sample_rate":null,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"kong_latency","stat_type":"timer","sample_rate":null,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"status_count_per_user","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"status_count_per_workspace","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"status_count_per_user_per_route","stat_type":"counter","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null},{"name":"shdict_usage","stat_type":"gauge","sample_rate":1,"consumer_identifier":null,"service_identifier":null,"workspace_identifier":null}]
        """;

    private static string Plugin(string name, string config) => $$"""{"name":"{{name}}","config":{{config}}}""";

    public static TheoryData<string, string, string> MinimalConfigs { get; } = new()
    {
        {
            "tcp-log", """{"host":"logs.test","port":9000}""",
            """{"host":"logs.test","port":9000,"timeout":10000,"keepalive":60000,"tls":false,"tls_sni":null,"custom_fields_by_lua":null}"""
        },
        {
            "udp-log", """{"host":"logs.test","port":9000}""",
            """{"host":"logs.test","port":9000,"timeout":10000,"custom_fields_by_lua":null}"""
        },
        {
            "http-log", """{"http_endpoint":"http://logs.test/path"}""",
            $$"""{"http_endpoint":"http://logs.test/path","method":"POST","content_type":"application/json","timeout":10000,"keepalive":60000,"retry_count":null,"queue_size":null,"flush_timeout":null,"headers":null,"queue":{{Queue}},"custom_fields_by_lua":null}"""
        },
        {
            "syslog", "{}",
            """{"log_level":"info","successful_severity":"info","client_errors_severity":"info","server_errors_severity":"info","custom_fields_by_lua":null,"facility":"user"}"""
        },
        {
            "loggly", """{"key":"token"}""",
            """{"host":"logs-01.loggly.com","port":514,"key":"token","tags":["kong"],"log_level":"info","successful_severity":"info","client_errors_severity":"info","server_errors_severity":"info","timeout":10000,"custom_fields_by_lua":null}"""
        },
        {
            "datadog", "{}",
            $$"""{"host":"localhost","port":8125,"prefix":"kong","service_name_tag":"name","status_tag":"status","consumer_tag":"consumer","retry_count":null,"queue_size":null,"flush_timeout":null,"queue":{{Queue}},"metrics":{{DatadogMetrics}}}"""
        },
        {
            "statsd", "{}",
            $$"""{"host":"localhost","port":8125,"prefix":"kong","metrics":{{StatsdMetrics}},"allow_status_codes":null,"udp_packet_size":0,"use_tcp":false,"hostname_in_prefix":false,"consumer_identifier_default":"custom_id","service_identifier_default":"service_name_or_host","workspace_identifier_default":"workspace_id","retry_count":null,"queue_size":null,"flush_timeout":null,"tag_style":null,"queue":{{Queue}}}"""
        },
        {
            "opentelemetry", """{"traces_endpoint":"http://otel.test:4318/v1/traces"}""",
            $$$"""{"traces_endpoint":"http://otel.test:4318/v1/traces","logs_endpoint":null,"headers":null,"resource_attributes":null,"queue":{{{OpentelemetryQueue}}},"batch_span_count":null,"batch_flush_delay":null,"connect_timeout":1000,"send_timeout":5000,"read_timeout":5000,"http_response_header_for_traceid":null,"header_type":"preserve","sampling_rate":null,"propagation":{"extract":null,"clear":null,"inject":null,"default_format":"w3c"}}"""
        },
        {
            "zipkin", "{}",
            $$$"""{"local_service_name":"kong","http_endpoint":null,"sample_ratio":0.001,"default_service_name":null,"include_credential":true,"traceid_byte_count":16,"header_type":"preserve","default_header_type":"b3","tags_header":"Zipkin-Tags","static_tags":null,"http_span_name":"method","connect_timeout":2000,"send_timeout":5000,"read_timeout":5000,"http_response_header_for_traceid":null,"phase_duration_flavor":"annotations","queue":{{{Queue}}},"propagation":{"extract":null,"clear":null,"inject":null,"default_format":"b3"}}"""
        },
    };

    [Theory]
    [MemberData(nameof(MinimalConfigs))]
    public void A_minimal_config_gets_Kongs_defaults(string name, string config, string expected)
    {
        Assert.Equal(expected, Valid(Plugins.Schema, Plugin(name, config))["config"]!.ToJsonString());
        if (config == "{}")
        {
            Assert.Equal(expected, Valid(Plugins.Schema, $$"""{"name":"{{name}}"}""")["config"]!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("tcp-log", """{"host":"logs.test","port":9000}""")]
    [InlineData("udp-log", """{"host":"logs.test","port":9000}""")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test"}""")]
    [InlineData("syslog", "{}")]
    [InlineData("loggly", """{"key":"token"}""")]
    [InlineData("datadog", "{}")]
    [InlineData("statsd", "{}")]
    [InlineData("zipkin", "{}")]
    public void Logging_plugins_run_on_any_protocol_and_on_a_consumer(string name, string config)
    {
        var plugin = Valid(Plugins.Schema, Plugin(name, config));
        Assert.Equal("""["grpc","grpcs","http","https"]""", plugin["protocols"]!.ToJsonString());
        Valid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{config}}},"protocols":["tcp","tls","udp","ws","wss"],"consumer":{"id":"{{{ConsumerId}}}"}}""");
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public void Opentelemetry_runs_on_http_protocols_only(string protocol) =>
        HasError(Invalid(Plugins.Schema, $$"""{"name":"opentelemetry","config":{"traces_endpoint":"http://otel.test"},"protocols":["{{protocol}}"]}"""),
            "protocols[0]", "expected one of: grpc, grpcs, http, https");

    [Theory]
    [InlineData("tcp-log", """{"host":"10.0.0.5","port":0,"timeout":1.5,"keepalive":0,"tls":true,"tls_sni":"logs.test","custom_fields_by_lua":{"route":"return nil"}}""")]
    [InlineData("udp-log", """{"host":"::1","port":65535}""")]
    [InlineData("http-log", """{"http_endpoint":"https://bob:secret@logs.test:8443/p","method":"PATCH","content_type":"application/json; charset=utf-8","headers":{"X-Token":"abc","Content-Len":"1"},"queue":{"max_batch_size":1000000,"concurrency_limit":-1,"max_bytes":1024,"initial_retry_delay":0.001}}""")]
    [InlineData("http-log", """{"http_endpoint":"{vault://env/http-log-endpoint}","headers":{"Authorization":"{vault://env/token}"}}""")]
    // Kong's Content-Length pattern has [nn] for the 'n' of "Length" (schema.lua:46), so this one passes on Kong too.
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","headers":{"CONTENT-LENGTH":"1"}}""")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","retry_count":23,"queue_size":46,"flush_timeout":92}""")]
    [InlineData("syslog", """{"log_level":"emerg","facility":"local7"}""")]
    [InlineData("loggly", """{"key":"{vault://env/loggly-key}","tags":["kong","edge"],"server_errors_severity":"crit"}""")]
    [InlineData("datadog", """{"host":"{vault://env/dd-host}","metrics":[{"name":"request_count","stat_type":"counter","sample_rate":0.5,"tags":["env:prod","team"]},{"name":"latency","stat_type":"distribution"}]}""")]
    [InlineData("datadog", """{"metrics":[]}""")]
    [InlineData("statsd", """{"metrics":[{"name":"status_count_per_workspace","stat_type":"counter","sample_rate":1,"workspace_identifier":"workspace_name"}],"allow_status_codes":["200-299","500-599"],"udp_packet_size":65507,"tag_style":"influxdb"}""")]
    [InlineData("opentelemetry", """{"logs_endpoint":"http://otel.test:4318/v1/logs","headers":{"X-Auth":"{vault://env/otel}"},"resource_attributes":{"service.name":"edge"},"sampling_rate":1,"propagation":{"extract":["w3c","b3"],"clear":["uber-trace-id"],"inject":["preserve","b3-single"],"default_format":"ot"}}""")]
    [InlineData("zipkin", """{"http_endpoint":"http://zipkin.test:9411/api/v2/spans","traceid_byte_count":8,"static_tags":[{"name":"env","value":"prod"},{"name":"team","value":"edge"}],"sample_ratio":1}""")]
    public void Valid_configs_are_accepted(string name, string config) => Valid(Plugins.Schema, Plugin(name, config));

    [Theory]
    // tcp-log, udp-log: host and port are required (schema.lua:10-11).
    [InlineData("tcp-log", """{"port":9000}""", "config.host", "required field missing")]
    [InlineData("tcp-log", """{"host":"logs.test"}""", "config.port", "required field missing")]
    [InlineData("tcp-log", """{"host":"logs.test:9000","port":9000}""", "config.host", "must not have a port")]
    [InlineData("tcp-log", """{"host":"logs.test","port":9000,"tls":null}""", "config.tls", "required field missing")]
    [InlineData("tcp-log", """{"host":"logs.test","port":9000,"timeout":"10s"}""", "config.timeout", "expected a number")]
    [InlineData("udp-log", """{"host":"logs.test","port":70000}""", "config.port", "value should be between 0 and 65535")]
    [InlineData("udp-log", """{"host":"logs.test","port":9000,"custom_fields_by_lua":{"route":""}}""", "config.custom_fields_by_lua", "length must be at least 1")]
    // http-log (spec/03-plugins/03-http-log/02-schema_spec.lua).
    [InlineData("http-log", "{}", "config.http_endpoint", "required field missing")]
    [InlineData("http-log", """{"http_endpoint":"logs.test/path"}""", "config.http_endpoint", "missing host in url")]
    [InlineData("http-log", """{"http_endpoint":"//logs.test/path"}""", "config.http_endpoint", "missing scheme in url")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","method":"GET"}""", "config.method", "expected one of: POST, PUT, PATCH")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","content_type":"text/plain"}""", "config.content_type", "expected one of: application/json, application/json; charset=utf-8")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","headers":{"X-My-Header":""}}""", "config.headers", "length must be at least 1")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","headers":{"X-My-Header":"123","Host":"MyHost"}}""", "config.headers", "cannot contain 'Host' header")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","headers":{"coNTEnt-Length":"123"}}""", "config.headers", "cannot contain 'Content-Length' header")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","headers":{"coNTEnt-Type":"bad"}}""", "config.headers", "cannot contain 'Content-Type' header")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","headers":{"bad header":"1"}}""", "config.headers", "bad header name 'bad header', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("http-log", """{"http_endpoint":"http://hi:there@logs.test/path","headers":{"AuthoRIZATion":"bad"}}""", "config", "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed")]
    [InlineData("http-log", """{"http_endpoint":"http://@logs.test","headers":{"authorization":"x"}}""", "config", "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","retry_count":1.5}""", "config.retry_count", "expected an integer")]
    // The shared queue record (kong/tools/queue_schema.lua).
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":{"max_batch_size":0}}""", "config.queue.max_batch_size", "value should be between 1 and 1000000")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":{"max_coalescing_delay":3601}}""", "config.queue.max_coalescing_delay", "value should be between 0 and 3600")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":{"initial_retry_delay":0}}""", "config.queue.initial_retry_delay", "value should be between 0 and 1000000")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":{"concurrency_limit":2}}""", "config.queue.concurrency_limit", "expected one of: -1, 1")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":{"max_bytes":"1k"}}""", "config.queue.max_bytes", "expected an integer")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":null}""", "config.queue", "required field missing")]
    [InlineData("http-log", """{"http_endpoint":"http://logs.test","queue":{"size":1}}""", "config.queue.size", "unknown field")]
    // syslog, loggly.
    [InlineData("syslog", """{"log_level":"warn"}""", "config.log_level", "expected one of: debug, info, notice, warning, err, crit, alert, emerg")]
    [InlineData("syslog", """{"successful_severity":null}""", "config.successful_severity", "required field missing")]
    [InlineData("syslog", """{"facility":"local8"}""", "config.facility", "expected one of: auth, authpriv, cron, daemon, ftp, kern, lpr, mail, news, syslog, user, uucp, local0, local1, local2, local3, local4, local5, local6, local7")]
    [InlineData("loggly", "{}", "config.key", "required field missing")]
    [InlineData("loggly", """{"key":"token","tags":"kong"}""", "config.tags", "expected a set")]
    [InlineData("loggly", """{"key":"token","host":"10.0.0.1:514"}""", "config.host", "must not have a port")]
    [InlineData("loggly", """{"key":"token","client_errors_severity":"fatal"}""", "config.client_errors_severity", "expected one of: debug, info, notice, warning, err, crit, alert, emerg")]
    // datadog (spec/03-plugins/08-datadog/02-schema_spec.lua).
    [InlineData("datadog", """{"metrics":null}""", "config.metrics", "required field missing")]
    [InlineData("datadog", """{"metrics":[{"stat_type":"counter","sample_rate":1}]}""", "config.metrics[0].name", "required field missing")]
    [InlineData("datadog", """{"metrics":[{"name":"invalid_name","stat_type":"counter"}]}""", "config.metrics[0].name", "expected one of: kong_latency, latency, request_count, request_size, response_size, upstream_latency")]
    [InlineData("datadog", """{"metrics":[{"name":"request_count","stat_type":"invalid_stat"}]}""", "config.metrics[0].stat_type", "expected one of: counter, gauge, histogram, meter, set, timer, distribution")]
    [InlineData("datadog", """{"metrics":[{"name":"request_count","stat_type":"counter","sample_rate":1,"tags":["T1:"]}]}""", "config.metrics[0].tags[0]", "invalid value: T1:")]
    [InlineData("datadog", """{"metrics":[{"name":"request_count","stat_type":"timer","sample_rate":2}]}""", "config.metrics[0].sample_rate", "value should be between 0 and 1")]
    [InlineData("datadog", """{"metrics":[{"name":"request_count","stat_type":"timer","consumer_identifier":"email"}]}""", "config.metrics[0].consumer_identifier", "expected one of: consumer_id, custom_id, username")]
    [InlineData("datadog", """{"port":-1}""", "config.port", "value should be between 0 and 65535")]
    // statsd (spec/03-plugins/06-statsd/02-schema_spec.lua).
    [InlineData("statsd", """{"metrics":[{"stat_type":"counter","sample_rate":1}]}""", "config.metrics[0].name", "required field missing")]
    [InlineData("statsd", """{"metrics":[{"name":"request_count","stat_type":"invalid_stat"}]}""", "config.metrics[0].stat_type", "expected one of: counter, gauge, histogram, meter, set, timer")]
    [InlineData("statsd", """{"metrics":[{"name":"status_count","stat_type":"counter","sample_rate":1,"service_identifier":"fooo"}]}""", "config.metrics[0].service_identifier", "expected one of: service_id, service_name, service_host, service_name_or_host")]
    [InlineData("statsd", """{"metrics":[{"name":"status_count_per_workspace","stat_type":"counter","sample_rate":1,"workspace_identifier":"fooo"}]}""", "config.metrics[0].workspace_identifier", "expected one of: workspace_id, workspace_name")]
    [InlineData("statsd", """{"metrics":[{"name":"latency","stat_type":"timer","sample_rate":0}]}""", "config.metrics[0].sample_rate", "value must be greater than 0")]
    [InlineData("statsd", """{"allow_status_codes":["test"]}""", "config.allow_status_codes[0]", "invalid value: test")]
    [InlineData("statsd", """{"allow_status_codes":["200-299","300-test"]}""", "config.allow_status_codes[1]", "invalid value: 300-test")]
    [InlineData("statsd", """{"allow_status_codes":["200"]}""", "config.allow_status_codes[0]", "invalid value: 200")]
    [InlineData("statsd", """{"udp_packet_size":-1}""", "config.udp_packet_size", "value should be between 0 and 65507")]
    [InlineData("statsd", """{"udp_packet_size":65508}""", "config.udp_packet_size", "value should be between 0 and 65507")]
    [InlineData("statsd", """{"udp_packet_size":"a"}""", "config.udp_packet_size", "expected a number")]
    [InlineData("statsd", """{"consumer_identifier_default":"invalid type"}""", "config.consumer_identifier_default", "expected one of: consumer_id, custom_id, username")]
    [InlineData("statsd", """{"service_identifier_default":"invalid type"}""", "config.service_identifier_default", "expected one of: service_id, service_name, service_host, service_name_or_host")]
    [InlineData("statsd", """{"workspace_identifier_default":"invalid type"}""", "config.workspace_identifier_default", "expected one of: workspace_id, workspace_name")]
    [InlineData("statsd", """{"tag_style":"invalid type"}""", "config.tag_style", "expected one of: dogstatsd, influxdb, librato, signalfx")]
    // opentelemetry (spec/03-plugins/37-opentelemetry/02-schema_spec.lua).
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","resource_attributes":{"foo":""}}""", "config.resource_attributes", "length must be at least 1")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","resource_attributes":{"foo":1}}""", "config.resource_attributes", "expected a string")]
    [InlineData("opentelemetry", """{"traces_endpoint":"otel.test:4318"}""", "config.traces_endpoint", "missing host in url")]
    [InlineData("opentelemetry", """{"endpoint":"otel.test:4318"}""", "config.endpoint", "missing host in url")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","headers":{"bad header":"x"}}""", "config.headers", "bad header name 'bad header', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","sampling_rate":1.5}""", "config.sampling_rate", "value should be between 0 and 1")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","header_type":"zipkin"}""", "config.header_type", "expected one of: preserve, ignore, b3, b3-single, w3c, jaeger, ot, aws, gcp, datadog")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","connect_timeout":-1}""", "config.connect_timeout", "value should be between 0 and 2147483646")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","batch_span_count":1.5}""", "config.batch_span_count", "expected an integer")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","propagation":{"extract":["b3-single"]}}""", "config.propagation.extract[0]", "expected one of: w3c, b3, jaeger, ot, datadog, aws, gcp")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","propagation":{"inject":["zipkin"]}}""", "config.propagation.inject[0]", "expected one of: preserve, w3c, b3, b3-single, jaeger, ot, datadog, aws, gcp")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","propagation":{"clear":["bad header"]}}""", "config.propagation.clear[0]", "bad header name 'bad header', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","propagation":{"extract":["w3c"]}}""", "config.propagation.default_format", "required field missing")]
    [InlineData("opentelemetry", """{"traces_endpoint":"http://otel.test","propagation":{"default_format":"preserve"}}""", "config.propagation.default_format", "expected one of: w3c, b3, b3-single, jaeger, ot, datadog, aws, gcp")]
    // zipkin (spec/03-plugins/34-zipkin/schema_spec.lua).
    [InlineData("zipkin", """{"http_endpoint":"http://zipkin.test","static_tags":[{"name":"foo","value":"bar"},{"name":"foo","value":"baz"}]}""", "config.static_tags", "repeated tags are not allowed: foo")]
    [InlineData("zipkin", """{"static_tags":[{"name":"http.method","value":"GET"}]}""", "config.static_tags[0].name", "must not be one of: error, http.method, http.path, http.status_code, kong.balancer.state, kong.balancer.try, kong.consumer, kong.credential, kong.node.id, kong.route, kong.service, lc, peer.hostname")]
    [InlineData("zipkin", """{"static_tags":[{"name":"env"}]}""", "config.static_tags[0].value", "required field missing")]
    [InlineData("zipkin", """{"traceid_byte_count":12}""", "config.traceid_byte_count", "expected one of: 8, 16")]
    [InlineData("zipkin", """{"sample_ratio":1.5}""", "config.sample_ratio", "value should be between 0 and 1")]
    [InlineData("zipkin", """{"http_endpoint":"zipkin.test:9411"}""", "config.http_endpoint", "missing host in url")]
    [InlineData("zipkin", """{"header_type":"zipkin"}""", "config.header_type", "expected one of: preserve, ignore, b3, b3-single, w3c, jaeger, ot, aws, datadog, gcp")]
    [InlineData("zipkin", """{"default_header_type":"preserve"}""", "config.default_header_type", "expected one of: b3, b3-single, w3c, jaeger, ot, aws, datadog, gcp")]
    [InlineData("zipkin", """{"http_span_name":"path"}""", "config.http_span_name", "expected one of: method, method_path")]
    [InlineData("zipkin", """{"phase_duration_flavor":"spans"}""", "config.phase_duration_flavor", "expected one of: annotations, tags")]
    [InlineData("zipkin", """{"local_service_name":null}""", "config.local_service_name", "required field missing")]
    [InlineData("zipkin", """{"include_credential":"yes"}""", "config.include_credential", "expected a boolean")]
    public void Invalid_configs_are_refused_on_their_path(string name, string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)), path, message);

    [Theory]
    [InlineData("datadog")]
    [InlineData("statsd")]
    public void A_counter_or_gauge_metric_needs_a_sample_rate(string name)
    {
        var errors = Invalid(Plugins.Schema, Plugin(name, """{"metrics":[{"name":"request_count","stat_type":"gauge"}]}"""));
        HasError(errors, "config.metrics[0].sample_rate", "required field missing");
        HasError(errors, "config.metrics[0]", "failed conditional validation given value of field 'stat_type'");
        Valid(Plugins.Schema, Plugin(name, """{"metrics":[{"name":"request_count","stat_type":"timer"}]}"""));
    }

    [Theory]
    [InlineData("datadog")]
    [InlineData("statsd")]
    public void A_metric_with_a_sample_rate_but_no_stat_type_fails_the_entity_check_not_the_field(string name)
    {
        var errors = Invalid(Plugins.Schema, Plugin(name, """{"metrics":[{"name":"request_count","sample_rate":1}]}"""));
        HasError(errors, "config.metrics[0].stat_type", "field required for entity check");
        Assert.Single(errors);
    }

    [Fact]
    public void Opentelemetry_needs_a_traces_or_a_logs_endpoint_in_its_config()
    {
        var errors = Invalid(Plugins.Schema, Plugin("opentelemetry", "{}"));
        HasError(errors, "config", "at least one of these fields must be non-empty: 'traces_endpoint', 'logs_endpoint'");
        Valid(Plugins.Schema, Plugin("opentelemetry", """{"logs_endpoint":"{vault://env/otel-logs}"}"""));
    }

    [Fact]
    public void Opentelemetrys_deprecated_endpoint_fills_traces_endpoint_unless_that_is_given()
    {
        var config = Valid(Plugins.Schema, Plugin("opentelemetry", """{"endpoint":"http://old.test/v1/traces"}"""))["config"]!;
        Assert.Equal("http://old.test/v1/traces", config["traces_endpoint"]!.GetValue<string>());
        Assert.False(config.AsObject().ContainsKey("endpoint"));

        config = Valid(Plugins.Schema, Plugin("opentelemetry", """{"endpoint":"http://old.test","traces_endpoint":"http://new.test"}"""))["config"]!;
        Assert.Equal("http://new.test", config["traces_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public void A_queue_given_in_part_gets_the_queue_defaults_and_opentelemetrys_default_batch_only_when_left_out()
    {
        var queue = Valid(Plugins.Schema, Plugin("opentelemetry", """{"traces_endpoint":"http://otel.test","queue":{"max_entries":5}}"""))["config"]!["queue"]!;
        Assert.Equal("""{"max_batch_size":1,"max_coalescing_delay":1,"max_entries":5,"max_bytes":null,"max_retry_time":60,"initial_retry_delay":0.01,"max_retry_delay":60,"concurrency_limit":1}""",
            queue.ToJsonString());
    }

    [Fact]
    public void Patch_merges_into_the_stored_queue_and_validates_the_result()
    {
        var stored = Valid(Plugins.Schema, Plugin("http-log", """{"http_endpoint":"http://logs.test"}"""));
        var patched = Valid(Plugins.Schema, """{"config":{"queue":{"max_batch_size":50}}}""", WriteMode.Update, stored);
        Assert.Equal(50, patched["config"]!["queue"]!["max_batch_size"]!.GetValue<long>());
        Assert.Equal(10000, patched["config"]!["queue"]!["max_entries"]!.GetValue<long>());
        Assert.Equal("http://logs.test", patched["config"]!["http_endpoint"]!.GetValue<string>());

        HasError(Invalid(Plugins.Schema, """{"config":{"http_endpoint":"http://u:p@logs.test","headers":{"Authorization":"x"}}}""", WriteMode.Update, stored),
            "config", "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed");
    }
}
