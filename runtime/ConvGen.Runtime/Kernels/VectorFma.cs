using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Internal;

/// <summary>
/// acc + x·w as one fused instruction where the ISA has it. The <c>IsSupported</c> checks are JIT/AOT-time
/// constants, so each call inlines to a single FMA (or multiply and add) with no branch. net8.0 has no
/// cross-platform <c>Vector*.FusedMultiplyAdd</c>, hence these helpers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorFma
{
    /// <summary>acc + x·w on 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> acc, Vector512<float> x, Vector512<float> w)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(x, w, acc) : acc + x * w;

    /// <summary>acc + x·w on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> acc, Vector256<float> x, Vector256<float> w)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, w, acc) : acc + x * w;

    /// <summary>acc + x·w on 4 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> acc, Vector128<float> x, Vector128<float> w)
    {
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(x, w, acc);
        }

        if (AdvSimd.IsSupported)
        {
            // ARM's operand order is (addend, left, right).
            return AdvSimd.FusedMultiplyAdd(acc, x, w);
        }

        return acc + x * w;
    }
}
