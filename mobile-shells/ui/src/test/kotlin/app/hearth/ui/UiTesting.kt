package app.hearth.ui

import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.hasScrollToIndexAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onFirst
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performScrollToNode

/** Brings the first node showing exactly [text] into view, from a lazy list or a scrolling column. */
fun ComposeUiTest.scrollToText(text: String) {
    waitForIdle()
    val lists = onAllNodes(hasScrollToIndexAction())
    for (i in 0 until lists.fetchSemanticsNodes().size) {
        runCatching { lists[i].performScrollToNode(hasText(text)) }
    }
    runCatching { onAllNodesWithText(text).onFirst().performScrollTo() }
    waitForIdle()
}

/** Clicks the first node showing exactly [text], scrolled into view first, as a person would. */
fun ComposeUiTest.clickText(text: String) {
    scrollToText(text)
    onAllNodesWithText(text).onFirst().performClick()
    waitForIdle()
}
