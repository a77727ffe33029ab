package app.hearth.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasScrollToIndexAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onFirst
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performScrollToNode

/**
 * Brings the first node showing exactly [text] into view, from a lazy list or a scrolling
 * column; tries again while the screen may still be catching up with the core, and fails
 * after [timeoutMs] if the text never shows, instead of leaving the screen where it was.
 */
fun ComposeUiTest.scrollToText(text: String, timeoutMs: Long = 10_000) {
    val deadline = System.nanoTime() + timeoutMs * 1_000_000
    while (true) {
        waitForIdle()
        val lists = onAllNodes(hasScrollToIndexAction())
        for (i in 0 until lists.fetchSemanticsNodes().size) {
            runCatching { lists[i].performScrollToNode(hasText(text)) }
        }
        runCatching { onAllNodesWithText(text).onFirst().performScrollTo() }
        waitForIdle()
        if (onAllNodesWithText(text).fetchSemanticsNodes().isNotEmpty()) return
        if (System.nanoTime() > deadline) throw AssertionError("\"$text\" is not on the screen, even after scrolling")
        Thread.sleep(50)
    }
}

/** Clicks the first node showing exactly [text], scrolled into view first, as a person would. */
fun ComposeUiTest.clickText(text: String) {
    scrollToText(text)
    onAllNodesWithText(text).onFirst().performClick()
    waitForIdle()
}
