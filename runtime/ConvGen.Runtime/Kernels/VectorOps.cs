using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The few vector operations the general kernel needs, as static abstract members so that the kernel is written once
/// and the JIT compiles a separate, fully inlined copy for each struct (each vector width) it is instantiated with.
/// </summary>
/// <typeparam name="TVec">The register type: a <c>Vector*&lt;float&gt;</c>, or <see cref="float"/> for the scalar fallback.</typeparam>
internal interface IVectorOps<TVec>
    where TVec : struct
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs as real SIMD on this machine (a JIT-time constant).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Loads <see cref="Count"/> consecutive floats starting <paramref name="offset"/> elements after <paramref name="source"/>.</summary>
    static abstract TVec Load(ref float source, nuint offset);

    /// <summary>All lanes set to <paramref name="value"/>.</summary>
    static abstract TVec Broadcast(float value);

    /// <summary>acc + x·w per lane.</summary>
    static abstract TVec MultiplyAdd(TVec acc, TVec x, TVec w);

    /// <summary>Stores the lanes at <paramref name="offset"/> elements after <paramref name="destination"/>.</summary>
    static abstract void Store(TVec value, ref float destination, nuint offset);
}

internal readonly struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> acc, Vector512<float> x, Vector512<float> w) => VectorFma.MultiplyAdd(acc, x, w);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
}

internal readonly struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> acc, Vector256<float> x, Vector256<float> w) => VectorFma.MultiplyAdd(acc, x, w);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
}

internal readonly struct Vector128Ops : IVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> acc, Vector128<float> x, Vector128<float> w) => VectorFma.MultiplyAdd(acc, x, w);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
}

/// <summary>One lane: the fallback without SIMD, and the path for rows narrower than the narrowest vector.</summary>
internal readonly struct ScalarOps : IVectorOps<float>
{
    public static int Count => 1;

    public static bool IsHardwareAccelerated => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    // Deliberately not MathF.FusedMultiplyAdd: without hardware FMA that becomes a slow library call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float acc, float x, float w) => acc + x * w;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;
}
