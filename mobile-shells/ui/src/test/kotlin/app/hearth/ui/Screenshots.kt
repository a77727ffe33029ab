package app.hearth.ui

import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.asSkiaBitmap
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image
import org.junit.Assert.assertTrue
import java.awt.RenderingHints
import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO
import kotlin.math.abs

/**
 * Where the screenshots go and how they are checked. Every picture is
 * written at full size under target/screenshots (with index.html, the
 * gallery), then shrunk to a third in grey (so the committed references
 * stay small) and compared with its reference under ui/screenshots: it
 * passes when at most [TOLERANCE] of the pixels differ by more than
 * [PIXEL_DELTA] grey levels, so font rasterising and a changed date pass,
 * and a moved, missing or clipped label does not.
 * `-Dscreenshots.update=true` (ui/update-screenshots) writes the references instead.
 */
object Screenshots {
    const val TOLERANCE = 0.01
    const val PIXEL_DELTA = 48

    private val out: Path = Path.of(System.getProperty("screenshots.dir") ?: "target/screenshots")
    private val reference: Path = Path.of(System.getProperty("screenshots.reference") ?: "screenshots")
    private val update = System.getProperty("screenshots.update") == "true"
    private val failures = mutableMapOf<String, String>()

    /** Writes [image] as [name].png, compares it with its reference; returns the problem, if any. */
    @Synchronized
    fun record(name: String, image: ImageBitmap): String? {
        Files.createDirectories(out)
        val png = Image.makeFromBitmap(image.asSkiaBitmap()).encodeToData(EncodedImageFormat.PNG)!!.bytes
        Files.write(out.resolve("$name.png"), png)
        val small = shrink(ImageIO.read(ByteArrayInputStream(png)))
        val referenceFile = reference.resolve("$name.png")
        if (update) {
            Files.createDirectories(reference)
            ImageIO.write(small, "png", referenceFile.toFile())
            return null
        }
        if (!Files.exists(referenceFile)) return fail(name, "$name: no reference image (run ui/update-screenshots)")
        val expected = ImageIO.read(referenceFile.toFile())
        if (expected.width != small.width || expected.height != small.height) {
            return fail(name, "$name: ${small.width}x${small.height}, the reference is ${expected.width}x${expected.height}")
        }
        var differing = 0
        var top = small.height
        var bottom = -1
        for (y in 0 until small.height) {
            for (x in 0 until small.width) {
                if (abs(small.raster.getSample(x, y, 0) - expected.raster.getSample(x, y, 0)) > PIXEL_DELTA) {
                    differing++
                    top = minOf(top, y)
                    bottom = y
                }
            }
        }
        val share = differing.toDouble() / (small.width * small.height)
        if (share > TOLERANCE) {
            ImageIO.write(small, "png", out.resolve("$name.actual-small.png").toFile())
            // Where the differences lie says what moved, when only the log is left to read.
            val rows = "rows %d%%-%d%% from the top".format(top * 100 / small.height, bottom * 100 / small.height)
            return fail(name, "$name: %.2f%% of the pixels differ from the reference (at most %.2f%%), in %s".format(share * 100, TOLERANCE * 100, rows))
        }
        return null
    }

    /**
     * Fails if any of [screens] at [size] (both themes) differed from its
     * reference: called once a test has written all its pictures, and only
     * about its own, though the test classes share this object.
     */
    @Synchronized
    fun assertMatch(screens: List<String>, size: String) {
        val names = screens.flatMap { listOf("$it-$size-light", "$it-$size-dark") }
        val mine = names.mapNotNull { failures[it] }
        assertTrue("screenshots differ from their references:\n" + mine.joinToString("\n"), mine.isEmpty())
    }

    private fun fail(name: String, message: String): String = message.also { failures[name] = it }

    private fun shrink(image: BufferedImage): BufferedImage {
        val small = BufferedImage(image.width / 3, image.height / 3, BufferedImage.TYPE_BYTE_GRAY)
        val g = small.createGraphics()
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR)
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY)
        g.drawImage(image, 0, 0, small.width, small.height, null)
        g.dispose()
        return small
    }

    /** index.html: one row per screen, one column per size and theme. */
    @Synchronized
    fun writeGallery(screens: List<String>, variants: List<String>) {
        Files.createDirectories(out)
        val html = buildString {
            append("<!doctype html><meta charset=utf-8><title>Hearth screens</title>\n")
            append("<style>body{font-family:sans-serif;background:#888}td{vertical-align:top;padding:8px}")
            append("img{max-height:600px;border:1px solid #444}th{text-align:left}</style>\n")
            append("<h1>Hearth: every screen</h1><table><tr><th>screen</th>")
            variants.forEach { append("<th>$it</th>") }
            append("</tr>\n")
            for (screen in screens) {
                append("<tr><th>$screen</th>")
                for (variant in variants) {
                    val file = "$screen-$variant.png"
                    if (Files.exists(out.resolve(file))) append("<td><a href='$file'><img src='$file'></a></td>") else append("<td></td>")
                }
                append("</tr>\n")
            }
            append("</table>\n")
        }
        Files.writeString(out.resolve("index.html"), html)
    }
}
