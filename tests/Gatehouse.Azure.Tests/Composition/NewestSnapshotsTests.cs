using Gatehouse.Azure.Composition;

namespace Gatehouse.Azure.Tests.Composition;

public sealed class NewestSnapshotsTests
{
    private static ReadOnlyMemory<byte> Bytes(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public void Each_control_plane_keeps_only_its_newest_snapshot()
    {
        var newest = new NewestSnapshots(maxBytes: 100);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        newest.Remember(a, "a1", Bytes(10, 1));
        newest.Remember(b, "b1", Bytes(10, 2));
        newest.Remember(a, "a2", Bytes(10, 3));

        Assert.Null(newest.Find(a, "a1"));
        Assert.Equal(Bytes(10, 3).ToArray(), newest.Find(a, "a2")!.Value.ToArray());
        Assert.Equal(Bytes(10, 2).ToArray(), newest.Find(b, "b1")!.Value.ToArray());
        Assert.Null(newest.Find(b, "a2"));
    }

    [Fact]
    public void Past_the_budget_all_is_forgotten_and_a_snapshot_over_it_is_never_kept()
    {
        var newest = new NewestSnapshots(maxBytes: 100);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        newest.Remember(a, "a1", Bytes(40, 1));
        newest.Remember(b, "b1", Bytes(40, 2));
        // A replaced snapshot's bytes leave the budget: 40 + 40 again, not 40 + 40 + 40.
        newest.Remember(b, "b2", Bytes(40, 3));
        Assert.NotNull(newest.Find(a, "a1"));
        Assert.NotNull(newest.Find(b, "b2"));

        newest.Remember(c, "c1", Bytes(40, 4));
        Assert.Null(newest.Find(a, "a1"));
        Assert.Null(newest.Find(b, "b2"));
        Assert.NotNull(newest.Find(c, "c1"));

        // Too big to keep: and the control plane's older one is not served in its place.
        newest.Remember(c, "c2", Bytes(101, 5));
        Assert.Null(newest.Find(c, "c2"));
        Assert.Null(newest.Find(c, "c1"));
    }
}
