using Gatehouse.Sidecar.Metrics;
using Gatehouse.Testing.Kong;

namespace Gatehouse.Sidecar.Tests.Metrics;

/// <summary>The Prometheus text format as Kong's plugin writes it, and anything else: bad lines are skipped, never thrown on.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Reads_names_labels_values_and_escapes_and_skips_comments()
    {
        var samples = PrometheusText.Parse("""
            # HELP kong_http_requests_total HTTP status codes per consumer/service/route in Kong
            # TYPE kong_http_requests_total counter
            kong_http_requests_total{service="or\"ders",route="r\\1",code="200",source="service",workspace="default",consumer=""} 42
            kong_request_latency_ms_bucket{service="orders",le="+Inf"} 7 1700000000000

            kong_datastore_reachable 1
            kong_memory{a="b\nc"} 1.5e3
            """);
        Assert.Equal(4, samples.Count);
        Assert.Equal("kong_http_requests_total", samples[0].Name);
        Assert.Equal("or\"ders", samples[0].Label("service"));
        Assert.Equal("r\\1", samples[0].Label("route"));
        Assert.Equal("", samples[0].Label("consumer"));
        Assert.Equal(42, samples[0].Value);
        Assert.Equal("+Inf", samples[1].Label("le"));
        Assert.Equal(7, samples[1].Value);
        Assert.Empty(samples[2].Labels);
        Assert.Equal("b\nc", samples[3].Label("a"));
        Assert.Equal(1500, samples[3].Value);
    }

    [Theory]
    [InlineData("kong_x{service=\"a\"")]
    [InlineData("kong_x{service=\"a} 1")]
    [InlineData("kong_x{service=a} 1")]
    [InlineData("kong_x{=\"a\"} 1")]
    [InlineData("kong_x{service=\"a\",service=\"b\"} 1")]
    [InlineData("kong_x")]
    [InlineData("kong_x one")]
    [InlineData("kong_x 1 2 3")]
    [InlineData("kong_x 1 notatime")]
    [InlineData("{service=\"a\"} 1")]
    [InlineData("9kong 1")]
    [InlineData("kong_x{service=\"a\\")]
    public void A_malformed_line_is_no_sample(string line) => Assert.Null(PrometheusText.TryParseLine(line));

    [Fact]
    public void Special_values_are_read()
    {
        Assert.Equal(double.PositiveInfinity, PrometheusText.TryParseLine("m +Inf")!.Value);
        Assert.Equal(double.NegativeInfinity, PrometheusText.TryParseLine("m -Inf")!.Value);
        Assert.True(double.IsNaN(PrometheusText.TryParseLine("m NaN")!.Value));
    }

    [Fact]
    public void Only_wanted_metrics_are_kept()
    {
        var text = "a 1\nkong_http_requests_total{code=\"200\"} 2\nb 3\n";
        var samples = PrometheusText.Parse(text, KongTrafficCounters.IsWanted);
        Assert.Equal("kong_http_requests_total", Assert.Single(samples).Name);
    }

    [Fact]
    public void The_stand_ins_exposition_reads_back_whole()
    {
        var traffic = new KongTraffic();
        traffic.Count("orders", 200, 5, latencyMs: 30);
        traffic.Count("", 404, 2, latencyMs: 1);
        var samples = PrometheusText.Parse(traffic.Exposition(Guid.NewGuid(), 10));
        Assert.Equal(5, samples.Single(s => s.Name == "kong_http_requests_total" && s.Label("code") == "200").Value);
        Assert.Equal(5, samples.Single(s => s.Name == "kong_request_latency_ms_bucket" && s.Label("service") == "orders" && s.Label("le") == "50").Value);
        Assert.Equal(0, samples.Single(s => s.Name == "kong_request_latency_ms_bucket" && s.Label("service") == "orders" && s.Label("le") == "25").Value);
    }

    /// <summary>Random bytes, and real text cut and garbled at random: parsing never throws, and whole lines still read.</summary>
    [Fact]
    public void Fuzzed_input_never_throws()
    {
        var random = new Random(20261203);
        var traffic = new KongTraffic();
        traffic.Count("orders", 200, 3, 40);
        traffic.Count("billing \"eu\"", 503, 1, 900);
        var real = traffic.Exposition(Guid.NewGuid(), 1);
        const string alphabet = "{}=\",\\ \n\t#_:aZ09.+-eInfNa";
        for (var i = 0; i < 5000; i++)
        {
            var chars = real.ToCharArray();
            for (var m = random.Next(1, 8); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }
            var garbled = new string(chars)[..random.Next(chars.Length)];
            var samples = PrometheusText.Parse(garbled);
            Assert.All(samples, s => Assert.False(string.IsNullOrEmpty(s.Name)));
            var noise = new string([.. Enumerable.Range(0, random.Next(200)).Select(_ => (char)random.Next(0, 0x3000))]);
            PrometheusText.Parse(noise);
            new KongTrafficCounters().Observe(samples, random.Next());
        }
    }
}
