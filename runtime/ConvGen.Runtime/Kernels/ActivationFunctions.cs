using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// The activations of <see cref="Activation"/>, applied in place to a block of outputs while it is still in L1, or to a
/// register before its store.
/// </summary>
/// <remarks>
/// Every width (16, 8, 4 lanes and scalar) evaluates the same formulas with the same operations in the same order, and
/// uses separate multiplies and adds rather than FMA (which a scalar path without hardware FMA would turn into a library
/// call), so a value gets the same result whichever path handles it: the span tail can be finished at a narrower width.
/// exp is Cephes' expf (range reduction by ln 2 split in two, degree-6 polynomial, relative error about 1e-7); tanh of
/// |x| &lt; 0.625 is Cephes' odd polynomial, which avoids the cancellation in (1 − e^−2|x|) / (1 + e^−2|x|) near 0.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationFunctions
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f; // few mantissa bits, so n·Ln2Hi is exact
    private const float Ln2Lo = -2.12194440e-4f;

    // Below ExpLow e^x rounds to 0, above ExpHigh it overflows to +∞; clamping keeps 2^n representable in two factors.
    private const float ExpLow = -105f;
    private const float ExpHigh = 89f;

    private const float ExpP0 = 1.9875691500e-4f;
    private const float ExpP1 = 1.3981999507e-3f;
    private const float ExpP2 = 8.3334519073e-3f;
    private const float ExpP3 = 4.1665795894e-2f;
    private const float ExpP4 = 1.6666665459e-1f;
    private const float ExpP5 = 5.0000001201e-1f;

    private const float TanhSmall = 0.625f;
    private const float TanhP0 = -5.70498872745e-3f;
    private const float TanhP1 = 2.06390887954e-2f;
    private const float TanhP2 = -5.37397155531e-2f;
    private const float TanhP3 = 1.33314422036e-1f;
    private const float TanhP4 = -3.33332819422e-1f;

    private const float SiLULow = -110f;

    /// <summary>
    /// Applies <paramref name="kind"/> to every element of <paramref name="values"/> in place, at the widest vector width
    /// the hardware accelerates and the rest at narrower widths.
    /// </summary>
    public static void Apply(Span<float> values, Activation kind, float negativeSlope)
    {
        if (kind == Activation.None)
        {
            return;
        }

        // A tail cannot be redone by an overlapping last vector: LeakyReLU, Sigmoid, Tanh and SiLU are not idempotent.
        ref float v = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                Apply(Vector512.LoadUnsafe(ref v, i), kind, negativeSlope).StoreUnsafe(ref v, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                Apply(Vector256.LoadUnsafe(ref v, i), kind, negativeSlope).StoreUnsafe(ref v, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                Apply(Vector128.LoadUnsafe(ref v, i), kind, negativeSlope).StoreUnsafe(ref v, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref v, i) = Apply(Unsafe.Add(ref v, i), kind, negativeSlope);
        }
    }

    /// <summary>The activation on one value; <paramref name="slope"/> is LeakyReLU's negative slope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float x, Activation kind, float slope)
    {
        switch (kind)
        {
            case Activation.ReLU:
                return MathF.Max(x, 0f);
            case Activation.ReLU6:
                return MathF.Min(MathF.Max(x, 0f), 6f);
            case Activation.LeakyReLU:
                return x >= 0f ? x : x * slope;
            case Activation.Sigmoid:
                return Sigmoid(x);
            case Activation.Tanh:
                return Tanh(x);
            case Activation.SiLU:
                x = x < SiLULow ? SiLULow : x;
                return x * Sigmoid(x);
            default:
                return x;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tanh(float x)
    {
        float ax = MathF.Abs(x);
        if (ax < TanhSmall)
        {
            float z = x * x;
            float poly = ((((TanhP0 * z + TanhP1) * z + TanhP2) * z + TanhP3) * z + TanhP4) * z;
            return poly * x + x;
        }

        float t = Exp(ax * -2f);
        return MathF.CopySign((1f - t) / (1f + t), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Exp(float x)
    {
        x = x < ExpLow ? ExpLow : x;
        x = x > ExpHigh ? ExpHigh : x;
        float n = MathF.Floor(x * Log2E + 0.5f);
        float r = x - n * Ln2Hi - n * Ln2Lo;
        float p = (((((ExpP0 * r + ExpP1) * r + ExpP2) * r + ExpP3) * r + ExpP4) * r + ExpP5) * (r * r) + r + 1f;
        int k = (int)n;
        int k1 = k >> 1;
        return p * Pow2(k1) * Pow2(k - k1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Pow2(int k) => BitConverter.Int32BitsToSingle((k + 127) << 23);

    /// <summary>The activation on 16 lanes; <paramref name="slope"/> is LeakyReLU's negative slope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> x, Activation kind, float slope)
    {
        switch (kind)
        {
            case Activation.ReLU:
                return Vector512.Max(x, Vector512<float>.Zero);
            case Activation.ReLU6:
                return Vector512.Min(Vector512.Max(x, Vector512<float>.Zero), Vector512.Create(6f));
            case Activation.LeakyReLU:
                return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * Vector512.Create(slope));
            case Activation.Sigmoid:
                return Sigmoid(x);
            case Activation.Tanh:
                return Tanh(x);
            case Activation.SiLU:
                // Below SiLULow the result rounds to −0 anyway; the clamp keeps −∞ from becoming −∞·0 = NaN.
                x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(SiLULow)), Vector512.Create(SiLULow), x);
                return x * Sigmoid(x);
            default:
                return x;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> x) => Vector512.Create(1f) / (Vector512.Create(1f) + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> one = Vector512.Create(1f);
        Vector512<float> ax = Vector512.Abs(x);
        Vector512<float> t = Exp(ax * Vector512.Create(-2f));
        Vector512<float> large = (one - t) / (one + t);
        Vector512<float> z = x * x;
        Vector512<float> poly = ((((Vector512.Create(TanhP0) * z + Vector512.Create(TanhP1)) * z + Vector512.Create(TanhP2)) * z + Vector512.Create(TanhP3)) * z + Vector512.Create(TanhP4)) * z;
        Vector512<float> small = poly * x + x;
        Vector512<float> signed = Vector512.ConditionalSelect(Vector512.Create(-0f), x, large); // large with the sign bit of x
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(TanhSmall)), small, signed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        // Comparisons rather than Min/Max so that NaN passes through the same way on every width and runtime.
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpLow)), Vector512.Create(ExpLow), x);
        x = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpHigh)), Vector512.Create(ExpHigh), x);
        Vector512<float> n = Vector512.Floor(x * Vector512.Create(Log2E) + Vector512.Create(0.5f));
        Vector512<float> r = x - n * Vector512.Create(Ln2Hi) - n * Vector512.Create(Ln2Lo);
        Vector512<float> p = (((((Vector512.Create(ExpP0) * r + Vector512.Create(ExpP1)) * r + Vector512.Create(ExpP2)) * r + Vector512.Create(ExpP3)) * r + Vector512.Create(ExpP4)) * r + Vector512.Create(ExpP5)) * (r * r) + r + Vector512.Create(1f);
        Vector512<int> k = Vector512.ConvertToInt32(n);
        Vector512<int> k1 = Vector512.ShiftRightArithmetic(k, 1);
        return p * Pow2(k1) * Pow2(k - k1);
    }

    // 2^k for k in [-126, 127], built from the exponent bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pow2(Vector512<int> k) => Vector512.ShiftLeft(k + Vector512.Create(127), 23).AsSingle();

    /// <summary>The activation on 8 lanes; <paramref name="slope"/> is LeakyReLU's negative slope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> x, Activation kind, float slope)
    {
        switch (kind)
        {
            case Activation.ReLU:
                return Vector256.Max(x, Vector256<float>.Zero);
            case Activation.ReLU6:
                return Vector256.Min(Vector256.Max(x, Vector256<float>.Zero), Vector256.Create(6f));
            case Activation.LeakyReLU:
                return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * Vector256.Create(slope));
            case Activation.Sigmoid:
                return Sigmoid(x);
            case Activation.Tanh:
                return Tanh(x);
            case Activation.SiLU:
                // Below SiLULow the result rounds to −0 anyway; the clamp keeps −∞ from becoming −∞·0 = NaN.
                x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(SiLULow)), Vector256.Create(SiLULow), x);
                return x * Sigmoid(x);
            default:
                return x;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sigmoid(Vector256<float> x) => Vector256.Create(1f) / (Vector256.Create(1f) + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> t = Exp(ax * Vector256.Create(-2f));
        Vector256<float> large = (one - t) / (one + t);
        Vector256<float> z = x * x;
        Vector256<float> poly = ((((Vector256.Create(TanhP0) * z + Vector256.Create(TanhP1)) * z + Vector256.Create(TanhP2)) * z + Vector256.Create(TanhP3)) * z + Vector256.Create(TanhP4)) * z;
        Vector256<float> small = poly * x + x;
        Vector256<float> signed = Vector256.ConditionalSelect(Vector256.Create(-0f), x, large); // large with the sign bit of x
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhSmall)), small, signed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        // Comparisons rather than Min/Max so that NaN passes through the same way on every width and runtime.
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLow)), Vector256.Create(ExpLow), x);
        x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpHigh)), Vector256.Create(ExpHigh), x);
        Vector256<float> n = Vector256.Floor(x * Vector256.Create(Log2E) + Vector256.Create(0.5f));
        Vector256<float> r = x - n * Vector256.Create(Ln2Hi) - n * Vector256.Create(Ln2Lo);
        Vector256<float> p = (((((Vector256.Create(ExpP0) * r + Vector256.Create(ExpP1)) * r + Vector256.Create(ExpP2)) * r + Vector256.Create(ExpP3)) * r + Vector256.Create(ExpP4)) * r + Vector256.Create(ExpP5)) * (r * r) + r + Vector256.Create(1f);
        Vector256<int> k = Vector256.ConvertToInt32(n);
        Vector256<int> k1 = Vector256.ShiftRightArithmetic(k, 1);
        return p * Pow2(k1) * Pow2(k - k1);
    }

    // 2^k for k in [-126, 127], built from the exponent bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pow2(Vector256<int> k) => Vector256.ShiftLeft(k + Vector256.Create(127), 23).AsSingle();

    /// <summary>The activation on 4 lanes; <paramref name="slope"/> is LeakyReLU's negative slope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply(Vector128<float> x, Activation kind, float slope)
    {
        switch (kind)
        {
            case Activation.ReLU:
                return Vector128.Max(x, Vector128<float>.Zero);
            case Activation.ReLU6:
                return Vector128.Min(Vector128.Max(x, Vector128<float>.Zero), Vector128.Create(6f));
            case Activation.LeakyReLU:
                return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), x, x * Vector128.Create(slope));
            case Activation.Sigmoid:
                return Sigmoid(x);
            case Activation.Tanh:
                return Tanh(x);
            case Activation.SiLU:
                // Below SiLULow the result rounds to −0 anyway; the clamp keeps −∞ from becoming −∞·0 = NaN.
                x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(SiLULow)), Vector128.Create(SiLULow), x);
                return x * Sigmoid(x);
            default:
                return x;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sigmoid(Vector128<float> x) => Vector128.Create(1f) / (Vector128.Create(1f) + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Tanh(Vector128<float> x)
    {
        Vector128<float> one = Vector128.Create(1f);
        Vector128<float> ax = Vector128.Abs(x);
        Vector128<float> t = Exp(ax * Vector128.Create(-2f));
        Vector128<float> large = (one - t) / (one + t);
        Vector128<float> z = x * x;
        Vector128<float> poly = ((((Vector128.Create(TanhP0) * z + Vector128.Create(TanhP1)) * z + Vector128.Create(TanhP2)) * z + Vector128.Create(TanhP3)) * z + Vector128.Create(TanhP4)) * z;
        Vector128<float> small = poly * x + x;
        Vector128<float> signed = Vector128.ConditionalSelect(Vector128.Create(-0f), x, large); // large with the sign bit of x
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(TanhSmall)), small, signed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Exp(Vector128<float> x)
    {
        // Comparisons rather than Min/Max so that NaN passes through the same way on every width and runtime.
        x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpLow)), Vector128.Create(ExpLow), x);
        x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpHigh)), Vector128.Create(ExpHigh), x);
        Vector128<float> n = Vector128.Floor(x * Vector128.Create(Log2E) + Vector128.Create(0.5f));
        Vector128<float> r = x - n * Vector128.Create(Ln2Hi) - n * Vector128.Create(Ln2Lo);
        Vector128<float> p = (((((Vector128.Create(ExpP0) * r + Vector128.Create(ExpP1)) * r + Vector128.Create(ExpP2)) * r + Vector128.Create(ExpP3)) * r + Vector128.Create(ExpP4)) * r + Vector128.Create(ExpP5)) * (r * r) + r + Vector128.Create(1f);
        Vector128<int> k = Vector128.ConvertToInt32(n);
        Vector128<int> k1 = Vector128.ShiftRightArithmetic(k, 1);
        return p * Pow2(k1) * Pow2(k - k1);
    }

    // 2^k for k in [-126, 127], built from the exponent bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pow2(Vector128<int> k) => Vector128.ShiftLeft(k + Vector128.Create(127), 23).AsSingle();
}
