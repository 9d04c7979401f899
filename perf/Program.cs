Console.WriteLine(Simd.Runtime.Intrinsics.Isa.Describe());
