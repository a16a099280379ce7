using Gatehouse.Core.Composition;

namespace Gatehouse.Core.Tests.Composition;

/// <summary>
/// What a snapshot was composed from decides whether the pointer may move (only forward) and
/// whether work is owed (the source differs from the pointer's).
/// </summary>
public sealed class SnapshotSourceTests
{
    private static readonly Guid s_a = Guid.Parse("00000000-0000-4000-8000-00000000000a");
    private static readonly Guid s_b = Guid.Parse("00000000-0000-4000-8000-00000000000b");

    private static SnapshotSource Group(long sequence, params (Guid Member, long Revision)[] members) =>
        new(sequence, members.ToDictionary(m => m.Member, m => m.Revision));

    [Fact]
    public void Anything_follows_nothing()
    {
        Assert.True(new SnapshotSource(0).Follows(null));
        Assert.True(Group(0).Follows(null));
    }

    [Theory]
    [InlineData(5, 4, true)]
    [InlineData(5, 5, false)]
    [InlineData(5, 6, false)]
    public void A_control_planes_source_follows_only_an_older_revision(long revision, long current, bool follows) =>
        Assert.Equal(follows, new SnapshotSource(revision).Follows(new SnapshotSource(current)));

    public static TheoryData<SnapshotSource, string, bool> GroupCases => new()
    {
        { Group(3, (s_a, 7), (s_b, 2)), "the same state", false },
        { Group(4, (s_a, 7), (s_b, 2)), "a newer membership", true },
        { Group(3, (s_a, 8), (s_b, 2)), "a member moved", true },
        { Group(2, (s_a, 8), (s_b, 2)), "a member moved, but the membership is older", false },
        { Group(3, (s_a, 6), (s_b, 9)), "one member moved, another went back", false },
        { Group(4, (s_a, 7)), "a member left", true },
        { Group(4, (s_a, 7), (s_b, 2), (Guid.NewGuid(), 1)), "a member joined", true },
        { Group(4, (s_a, 1), (s_b, 2)), "a member went back, even under a newer membership", false },
    };

    [Theory]
    [MemberData(nameof(GroupCases))]
    public void A_groups_source_follows_when_nothing_went_back_and_something_changed(SnapshotSource next, string why, bool follows) =>
        Assert.True(follows == next.Follows(Group(3, (s_a, 7), (s_b, 2))), why);

    [Fact]
    public void Sources_are_equal_when_they_name_the_same_revisions_whatever_the_dictionaries()
    {
        var source = Group(3, (s_a, 7), (s_b, 2));

        Assert.Equal(source, Group(3, (s_b, 2), (s_a, 7)));
        Assert.Equal(source.GetHashCode(), Group(3, (s_b, 2), (s_a, 7)).GetHashCode());
        Assert.True(source == Group(3, (s_a, 7), (s_b, 2)));
        Assert.NotEqual(source, Group(4, (s_a, 7), (s_b, 2)));
        Assert.NotEqual(source, Group(3, (s_a, 7), (s_b, 3)));
        Assert.NotEqual(source, Group(3, (s_a, 7)));
        Assert.NotEqual(source, Group(3, (s_a, 7), (Guid.NewGuid(), 2)));
        Assert.False(source.Equals(null));
        Assert.Equal(new SnapshotSource(3), new SnapshotSource(3));
        Assert.NotEqual(new SnapshotSource(3), new SnapshotSource(4));
    }

    [Fact]
    public void A_group_without_members_is_the_same_source_as_one_with_no_members_recorded()
    {
        Assert.Equal(new SnapshotSource(3), Group(3));
        Assert.Equal(new SnapshotSource(3).GetHashCode(), Group(3).GetHashCode());
        Assert.False(Group(3).Follows(new SnapshotSource(3)));
        Assert.True(Group(4).Follows(new SnapshotSource(3)));
    }
}
