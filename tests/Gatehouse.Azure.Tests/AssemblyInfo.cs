using Gatehouse.Testing;

// One Azurite for the whole assembly: starting one costs a second or two.
[assembly: AssemblyFixture(typeof(StorageFixture))]
